/** File and directory name patterns of the supported layouts: version and name as each tool reads them. */

export interface ParsedName {
  version: string;
  name: string;
}

/** `V<version>__<name>.sql`; the version parts may be separated by `.` or `_` (spelled with dots). */
const FLYWAY_VERSIONED = /^V(\d+(?:[._]\d+)*)__(.*)\.sql$/;
/** `R__<name>.sql`: a repeatable migration. */
const FLYWAY_REPEATABLE = /^R__(.*)\.sql$/;
/** golang-migrate: `^([0-9]+)_(.*)\.(down|up)\.(.*)$`, SQL up files only. */
const GOLANG_UP = /^(\d+)_(.*)\.up\.sql$/;
/** pop: `<version>_<name>[.<dialect>][.autocommit].(up|down).(sql|fizz)`. */
const POP = /^(\d+)_([^.]+)((?:\.[a-z0-9]+)*)\.(up|down)\.(sql|fizz)$/;
/** goose: `<version>_<name>.sql` (goose splits the name at the first `_` and rejects a name without one). */
const NUMBERED = /^(\d+)_(.*)\.sql$/;
/** plain: `<version>_<name>.sql` or `<version>-<name>.sql` (supabase storage, postgres-migrations). */
const PLAIN = /^(\d+)[_-](.*)\.sql$/;
/** dbmate: any `.sql` file whose name starts with digits (`^(\d+).*\.sql$`); a `_` or `-` after them is not name. */
const DBMATE = /^(\d+)[_-]?(.*)\.sql$/;

/** goose Go migrations: `<version>_<name>.go`; goose skips `_test.go` files. */
const GOOSE_GO = /^(\d+)_(.*)\.go$/;

/** The names pop gives the Postgres dialect. */
const POSTGRES_DIALECTS = new Set(["postgres", "postgresql", "pg"]);

export function parseFlyway(file: string): (ParsedName & { repeatable: boolean }) | null {
  const versioned = FLYWAY_VERSIONED.exec(file);
  if (versioned) {
    return {
      version: (versioned[1] as string).replaceAll("_", "."),
      name: versioned[2] as string,
      repeatable: false,
    };
  }
  const repeatable = FLYWAY_REPEATABLE.exec(file);
  // A repeatable migration has no version in Flyway; `R__<name>` keeps it unique for history and display.
  if (repeatable) return { version: `R__${repeatable[1]}`, name: repeatable[1] as string, repeatable: true };
  return null;
}

export function parseGolangUp(file: string): ParsedName | null {
  const match = GOLANG_UP.exec(file);
  return match ? { version: match[1] as string, name: match[2] as string } : null;
}

export interface PopName extends ParsedName {
  direction: "up" | "down";
  type: "sql" | "fizz";
  /** `postgres`, `all` (no dialect in the name) or another dialect (`mysql`, `sqlite3`, ...). */
  dialect: string;
  autocommit: boolean;
}

export function parsePop(file: string): PopName | null {
  const match = POP.exec(file);
  if (!match) return null;
  const segments = (match[3] as string).split(".").filter(Boolean);
  const autocommit = segments.includes("autocommit");
  const dialects = segments.filter((s) => s !== "autocommit");
  if (dialects.length > 1) return null;
  const dialect = dialects[0] ?? "all";
  return {
    version: match[1] as string,
    name: match[2] as string,
    direction: match[4] as "up" | "down",
    type: match[5] as "sql" | "fizz",
    dialect: POSTGRES_DIALECTS.has(dialect) ? "postgres" : dialect,
    autocommit,
  };
}

/** Dialects pop knows; a name segment that is none of these is no evidence of pop (`1_add.v2.up.sql`). */
const POP_DIALECTS = new Set([
  "postgres",
  "cockroach",
  "cockroachdb",
  "mysql",
  "mariadb",
  "sqlite",
  "sqlite3",
  "mssql",
]);

/** A pop file that no other layout would produce: a known dialect, `.autocommit.` or a fizz file. */
export function isDistinctlyPop(pop: PopName): boolean {
  return POP_DIALECTS.has(pop.dialect) || pop.autocommit || pop.type === "fizz";
}

export function parseNumbered(file: string): ParsedName | null {
  const match = NUMBERED.exec(file);
  return match ? { version: match[1] as string, name: match[2] as string } : null;
}

export function parsePlain(file: string): ParsedName | null {
  const match = PLAIN.exec(file);
  return match ? { version: match[1] as string, name: match[2] as string } : null;
}

export function parseGooseGo(file: string): ParsedName | null {
  const match = GOOSE_GO.exec(file);
  return match && !file.endsWith("_test.go")
    ? { version: match[1] as string, name: match[2] as string }
    : null;
}

export function parseDbmate(file: string): ParsedName | null {
  const match = DBMATE.exec(file);
  return match ? { version: match[1] as string, name: match[2] as string } : null;
}

/** Diesel and prisma directories: the version is everything before the first `_`. */
export function parseDirectory(dir: string): ParsedName {
  const at = dir.indexOf("_");
  return at === -1 ? { version: dir, name: "" } : { version: dir.slice(0, at), name: dir.slice(at + 1) };
}

/** The file name without its last extension (`x.sql` -> `x`). */
export function stem(file: string): string {
  const dot = file.lastIndexOf(".");
  return dot > 0 ? file.slice(0, dot) : file;
}

/** How a layout's tool numbers a migration in an empty directory. */
export type VersionStyle = "timestamp" | "dashed-timestamp" | "sequence" | "integer" | "index" | "unix-ms";

/** `YYYYMMDDHHMMSS` in UTC. */
function timestampDigits(now: Date): string {
  return now.toISOString().replace(/\D/g, "").slice(0, 14);
}

const DASHED = /^(\d{4})-(\d{2})-(\d{2})-(\d{6})$/;

/** diesel's `YYYY-MM-DD-HHMMSS` from 14 digits. */
function dashed(digits: string): string {
  return `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}-${digits.slice(8)}`;
}

/**
 * The version of the next migration after `last` (the newest one, as the tool orders them), as the owning
 * tool numbers it: a 14-digit timestamp (or diesel's dashed one) when the newest is one, at least one more
 * than it, or milliseconds since 1970 after 13 digits of them (node-pg-migrate); else the next integer at the
 * same width (`0041` -> `0042`; flyway `1.2` -> `2`). With no migration yet, `empty` says which (`sequence`:
 * `0001`, `index`: drizzle-kit's `0000`, `integer`: `1`, `unix-ms`: the milliseconds).
 */
export function nextVersion(last: string | null, empty: VersionStyle, now: Date): string {
  const stamp = timestampDigits(now);
  if (last === null) {
    if (empty === "sequence") return "0001";
    if (empty === "index") return "0000";
    if (empty === "integer") return "1";
    if (empty === "unix-ms") return String(now.getTime());
    return empty === "dashed-timestamp" ? dashed(stamp) : stamp;
  }
  if (/^\d{13}$/.test(last)) return String(Math.max(now.getTime(), Number(last) + 1));
  const isDashed = DASHED.test(last);
  const digits = isDashed ? last.replace(/-/g, "") : last;
  if (/^\d{14}$/.test(digits)) {
    const next = BigInt(stamp) > BigInt(digits) ? stamp : (BigInt(digits) + 1n).toString();
    return isDashed ? dashed(next) : next;
  }
  const major = /^\d+/.exec(last)?.[0] ?? "0";
  return (BigInt(major) + 1n).toString().padStart(major.length, "0");
}

/**
 * The name part of a new migration's file name: words joined with `_` (anything but letters, digits and
 * `_` separates words), as the tools' generators spell it. Empty when nothing is left.
 */
export function migrationSlug(name: string): string {
  return name
    .trim()
    .replace(/[^\p{L}\p{N}_]+/gu, "_")
    .replace(/_+/g, "_")
    .replace(/^_|_$/g, "");
}
