import { upperWords } from "../sql/ast.js";

/** Table-level lock modes, weakest first, spelled as in `pg_locks.mode`. */
export const LOCK_MODES = [
  "AccessShareLock",
  "RowShareLock",
  "RowExclusiveLock",
  "ShareUpdateExclusiveLock",
  "ShareLock",
  "ShareRowExclusiveLock",
  "ExclusiveLock",
  "AccessExclusiveLock",
] as const;
export type LockMode = (typeof LOCK_MODES)[number];

/** What a lock does to application traffic (SELECT takes AccessShare; INSERT/UPDATE/DELETE RowExclusive). */
export type Blocks = "nothing" | "writes" | "reads+writes";

export function lockStrength(mode: LockMode): number {
  return LOCK_MODES.indexOf(mode);
}

export function stronger(a: LockMode, b: LockMode): LockMode {
  return lockStrength(a) >= lockStrength(b) ? a : b;
}

export function blocks(mode: LockMode): Blocks {
  if (mode === "AccessExclusiveLock") return "reads+writes";
  // Share and stronger conflict with RowExclusiveLock, the lock every write takes.
  return lockStrength(mode) >= lockStrength("ShareLock") ? "writes" : "nothing";
}

export function blocksTraffic(mode: LockMode): boolean {
  return blocks(mode) !== "nothing";
}

/** `LOCK TABLE ... IN <mode> MODE` spelling (LockStmt.mode is 1..8) to the pg_locks name. */
export function lockModeFromNumber(mode: number): LockMode {
  return LOCK_MODES[mode - 1] ?? "AccessExclusiveLock";
}

/** The most restrictive of several blocks values. */
export function worstBlocks(values: Blocks[]): Blocks {
  if (values.includes("reads+writes")) return "reads+writes";
  return values.includes("writes") ? "writes" : "nothing";
}

/** `AccessExclusiveLock` -> `ACCESS EXCLUSIVE`, the spelling of `LOCK TABLE ... IN <mode> MODE` and the docs. */
export function lockName(mode: LockMode): string {
  return upperWords(mode.replace(/Lock$/, ""));
}
