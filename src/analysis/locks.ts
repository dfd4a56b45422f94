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

/**
 * Postgres's table-level lock conflict table ("Conflicting Lock Modes" in the docs):
 * the modes each mode conflicts with. Checked against a real server in test/model/lock-conflicts.test.ts.
 */
const CONFLICTS: Record<LockMode, readonly LockMode[]> = {
  AccessShareLock: ["AccessExclusiveLock"],
  RowShareLock: ["ExclusiveLock", "AccessExclusiveLock"],
  RowExclusiveLock: ["ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"],
  ShareUpdateExclusiveLock: LOCK_MODES.slice(3),
  ShareLock: ["RowExclusiveLock", "ShareUpdateExclusiveLock", ...LOCK_MODES.slice(5)],
  ShareRowExclusiveLock: LOCK_MODES.slice(2),
  ExclusiveLock: LOCK_MODES.slice(1),
  AccessExclusiveLock: LOCK_MODES,
};

/** Whether a session holding `held` keeps another from taking `wanted` on the same relation. */
export function conflicts(wanted: LockMode, held: LockMode): boolean {
  return CONFLICTS[wanted].includes(held);
}

export function isLockMode(mode: string): mode is LockMode {
  return (LOCK_MODES as readonly string[]).includes(mode);
}
