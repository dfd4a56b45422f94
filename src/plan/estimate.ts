/**
 * How long a step that rewrites, scans, or changes data under a lock that blocks traffic will hold its lock, from the live size of what it reads. A
 * deliberately simple throughput model (docs/plan.md): the point is the order of magnitude (a second or
 * an hour), not the exact figure, which depends on disks, cache, WAL settings and concurrent load.
 */
import { type Blocks, blocks, type LockMode, worstBlocks } from "../analysis/locks.js";
import type { StatementEffects } from "../analysis/model.js";
import type { DurationEstimate, RelationSize } from "./result.js";

const MiB = 1024 * 1024;

/** Bytes per second. A rewrite writes the heap and rebuilds every index (and WAL-logs both). */
const RATES = {
  rewrite: 40 * MiB,
  /** Building an index: reading the heap and sorting. A concurrent build reads the table twice. */
  indexBuild: 60 * MiB,
  /** A validation scan only reads the heap. */
  scan: 150 * MiB,
  /*
   * Data changes under a blocking lock, from a 600,000-row table (31 MB heap, 43 MB with its index) on
   * Postgres 18 on a busy 2-core machine: UPDATE of every row 4.6 to 8.5 s (a new version of each row and
   * its index entries, WAL-logged), DELETE 0.6 s (each row marked in the heap; indexes are left for
   * VACUUM), INSERT ... SELECT of every row 1.3 s. Rounded down, as the other rates are.
   */
  update: 8 * MiB,
  delete: 50 * MiB,
  insert: 25 * MiB,
} as const;

export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 || unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 1) return "under 1 s";
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** A data change of the step: the rows it writes come from its table, or from what it reads (INSERT ... SELECT). */
export interface DataChangeInput {
  kind: "update" | "delete" | "insert";
  table: string;
  hasWhere: boolean;
  /** INSERT ... SELECT: the relations the query reads (none for INSERT ... VALUES). */
  reads: string[];
}

/** What the estimate needs of a statement's UPDATE / DELETE / INSERT (none for other statements). */
export function dataChangeInput(effects: StatementEffects): DataChangeInput[] {
  if (!effects.dataChange) return [];
  const { kind, table, hasWhere } = effects.dataChange;
  const reads = effects.locks
    .filter((l) => l.mode === "AccessShareLock" && l.relation !== table && l.existing)
    .map((l) => l.relation);
  return [{ kind, table, hasWhere, reads }];
}

/** What an estimate needs of the work: a planned step, or one statement as written (lint). */
export interface EstimatedWork {
  rewrite: boolean;
  scan: boolean;
  /** Runs inside a transaction (a concurrent index build does not, and reads the table twice). */
  transaction: boolean;
  blocks: Blocks;
  locks: Array<{ relation: string; mode: LockMode }>;
}

export interface EstimateInput {
  step: EstimatedWork;
  /** The relations the step rewrites or reads in full. */
  relations: string[];
  /** The step builds an index (CREATE INDEX, REINDEX, a unique or primary key constraint). */
  buildsIndex: boolean;
  /** UPDATE / DELETE / INSERT ... SELECT statements of the step. */
  dataChanges?: DataChangeInput[];
  sizes: Record<string, RelationSize>;
}

interface Part {
  seconds: number;
  basis: string;
}

/**
 * The estimate of work made of these statements' effects, from `sizes`: the relations the model (or the
 * trace) says it rewrites or scans, else those it locks ACCESS EXCLUSIVE. The one path for `plan` (per
 * step, sizes from the database or a stats file) and `lint --stats-file` (per statement).
 */
export function workEstimate(
  work: EstimatedWork,
  effects: StatementEffects[],
  buildsIndex: boolean,
  sizes: Record<string, RelationSize>,
): DurationEstimate | null {
  const named = effects.flatMap((e) => [...(work.rewrite ? e.rewrites : []), ...(work.scan ? e.scans : [])]);
  const strongest = work.locks.filter((l) => l.mode === "AccessExclusiveLock").map((l) => l.relation);
  return estimateDuration({
    step: work,
    relations: [...new Set(named.length > 0 ? named : strongest)],
    buildsIndex: buildsIndex || effects.some((e) => e.buildsIndex),
    dataChanges: effects.flatMap(dataChangeInput),
    sizes,
  });
}

/** One statement as written, as the work it is on its own (what its locks on existing relations block). */
export function statementEstimate(
  effects: StatementEffects,
  sizes: Record<string, RelationSize>,
): DurationEstimate | null {
  const work: EstimatedWork = {
    rewrite: effects.rewrites.length > 0,
    scan: effects.scans.length > 0,
    transaction: effects.transactional,
    blocks: worstBlocks(effects.locks.filter((l) => l.existing).map((l) => blocks(l.mode))),
    locks: effects.locks,
  };
  return workEstimate(work, [effects], false, sizes);
}

/**
 * Null for steps that neither rewrite, scan nor change data under a lock that blocks traffic, and when no
 * size is known. The parts of a step (an ALTER TABLE rewrite and the UPDATE after it) add up.
 */
export function estimateDuration(input: EstimateInput): DurationEstimate | null {
  const parts = [ddlEstimate(input), ...dataChangeEstimates(input)].filter((p): p is Part => p !== null);
  if (parts.length === 0) return null;
  const seconds = parts.reduce((sum, p) => sum + p.seconds, 0);
  return { seconds: Math.round(seconds * 10) / 10, basis: parts.map((p) => p.basis).join("; ") };
}

function ddlEstimate(input: EstimateInput): Part | null {
  const { step, relations, buildsIndex, sizes } = input;
  if (!step.rewrite && !step.scan) return null;
  const kind = step.rewrite ? "rewrite" : buildsIndex ? "indexBuild" : "scan";
  const passes = kind === "indexBuild" && !step.transaction ? 2 : 1;
  let seconds = 0;
  const parts: string[] = [];
  for (const relation of relations) {
    const size = sizes[relation];
    const bytes = kind === "rewrite" ? size?.totalBytes : size?.tableBytes;
    if (bytes === null || bytes === undefined) continue;
    seconds += (bytes * passes) / RATES[kind];
    parts.push(`${relation} (${formatBytes(bytes)})`);
  }
  if (parts.length === 0) return null;
  const verb = { rewrite: "rewrites", indexBuild: "builds an index on", scan: "scans" }[kind];
  const pass = passes > 1 ? `, ${passes} passes` : "";
  const rate = `${formatBytes(RATES[kind])}/s${pass}`;
  return { seconds, basis: `${verb} ${parts.join(", ")} at ${rate}` };
}

/**
 * A data change matters while the step holds a lock that blocks traffic (an ALTER TABLE or LOCK TABLE
 * earlier in its transaction): traffic then waits for every row it writes. An UPDATE writes a new version
 * of each row and its index entries (the table's total size); a DELETE marks each row of the heap;
 * INSERT ... SELECT writes as many bytes as it reads (the heap of what it reads). With a WHERE clause the whole table is
 * the upper bound, and the basis says so.
 */
function dataChangeEstimates(input: EstimateInput): Array<Part | null> {
  if (input.step.blocks === "nothing") return [];
  return (input.dataChanges ?? []).map((change) => {
    const size = (name: string, total: boolean) => {
      const s = input.sizes[name];
      const bytes = total ? s?.totalBytes : s?.tableBytes;
      return bytes === null || bytes === undefined ? null : { name, bytes, rows: s?.rows ?? null };
    };
    const read =
      change.kind === "insert"
        ? change.reads.map((r) => size(r, false))
        : [size(change.table, change.kind === "update")];
    const known = read.filter((r): r is NonNullable<typeof r> => r !== null);
    if (known.length === 0) return null;
    const rate = RATES[change.kind];
    const bytes = known.reduce((sum, r) => sum + r.bytes, 0);
    const rows = (r: (typeof known)[number]) => (r.rows === null ? "" : `${r.rows} rows, `);
    const names = known.map((r) => `${r.name} (${rows(r)}${formatBytes(r.bytes)})`).join(", ");
    const bound = change.hasWhere ? "at most all of " : "";
    const what =
      change.kind === "insert"
        ? `inserts the rows it reads from ${names} into ${change.table}`
        : `${change.kind === "update" ? "updates" : "deletes"} ${bound}${names}`;
    return { seconds: bytes / rate, basis: `${what} at ${formatBytes(rate)}/s under the step's lock` };
  });
}
