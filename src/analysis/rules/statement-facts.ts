import type { PartitionCmd } from "libpg-query";
import { nodeBody, relationName } from "../../sql/ast.js";
import { blocks, type LockMode } from "../locks.js";
import type { AnalyzedStatement, CommandEffects, RelationLock } from "../model.js";

/** Small readers shared by several rules: syntactic facts and the wording of locks. */

/** `AccessExclusiveLock` as the docs write it: `ACCESS EXCLUSIVE`. */
export function lockName(mode: LockMode): string {
  return mode
    .replace(/Lock$/, "")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toUpperCase();
}

/** `an ACCESS EXCLUSIVE lock on users (blocks reads and writes)`: a lock and what it does to traffic. */
export function lockPhrase(mode: LockMode, relation: string): string {
  const name = lockName(mode);
  const effect = blocks(mode);
  const what = effect === "nothing" ? "" : ` (blocks ${effect === "writes" ? "writes" : "reads and writes"})`;
  return `${/^[AEIOU]/.test(name) ? "an" : "a"} ${name} lock on ${relation}${what}`;
}

/** The lock the statement takes on a relation, from the model. */
export function lockOn(statement: AnalyzedStatement, relation: string | null): RelationLock | undefined {
  return statement.effects.locks.find((l) => l.relation === relation);
}

/** The partition named by an ATTACH / DETACH PARTITION command. */
export function partitionOf(command: CommandEffects): PartitionCmd | undefined {
  return nodeBody<PartitionCmd>(command.ast.def, "PartitionCmd");
}

export function partitionName(command: CommandEffects): string {
  return relationName(partitionOf(command)?.name);
}
