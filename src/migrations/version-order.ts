/**
 * Version comparisons, one per way the supported tools order their migrations.
 * All of them are total and deterministic; none depends on the locale.
 */

/** Plain code-unit comparison (what Go's `<` and Rust's `Ord` do on strings). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Two digit strings as unbounded integers: `9` < `10`, `007` == `7`.
 * Never goes through `Number`, so 18-digit versions keep their precision.
 */
export function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, "");
  const y = b.replace(/^0+(?=\d)/, "");
  return x.length !== y.length ? x.length - y.length : compareText(x, y);
}

/** Numeric when both versions are all digits, else text (safemigrate's own order: plain, goose, golang-migrate). */
export function compareNumericVersions(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return compareDigits(a, b);
  return compareText(a, b);
}

/**
 * Flyway: the version is split at `.` (or `_`) and compared part by part as integers; a missing part counts
 * as 0, so `1.9` < `1.10` and `1` == `1.0`.
 */
export function compareFlywayVersions(a: string, b: string): number {
  const left = a.split(/[._]/);
  const right = b.split(/[._]/);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const order = compareDigits(left[i] ?? "0", right[i] ?? "0");
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * Diesel: the version (the directory name up to the first `_`) with its dashes removed, compared as text,
 * so `2017-09-23-182408` sorts after `20170309122510`.
 */
export function compareDieselVersions(a: string, b: string): number {
  return compareText(a.replaceAll("-", ""), b.replaceAll("-", ""));
}

/**
 * node-pg-migrate: the prefix as the time it stands for (13 digits: milliseconds since 1970; 17 digits: UTC
 * `YYYYMMDDHHMMSSmmm`), any other number as itself.
 */
function nodePgMigrateTime(prefix: string): number {
  const utc = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{3})$/.exec(prefix);
  if (utc) {
    const [, y, mo, d, h, mi, s, ms] = utc.map(Number) as number[];
    return Date.UTC(y as number, (mo as number) - 1, d, h, mi, s, ms);
  }
  return Number(prefix) || 0;
}

/** node-pg-migrate orders its files by the time their prefix stands for. */
export function compareNodePgMigrateVersions(a: string, b: string): number {
  return nodePgMigrateTime(a) - nodePgMigrateTime(b);
}
