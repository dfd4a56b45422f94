import type { PartitionCmd } from "libpg-query";
import { nodeBody, relationName } from "../../sql/ast.js";
import { blocks, type LockMode, lockName } from "../locks.js";
import type { AnalyzedStatement, CommandEffects, RelationLock } from "../model.js";
import { descendants } from "../partition-registry.js";

/** Small readers shared by several rules: syntactic facts and the wording of locks. */

/** `a SHARE lock`, `an ACCESS EXCLUSIVE lock`. */
export function aLock(mode: LockMode): string {
  const name = lockName(mode);
  return `${/^[AEIOU]/.test(name) ? "an" : "a"} ${name} lock`;
}

/** What a lock blocks, in words: "reads and writes", "writes" or "nothing". */
export function blockedTraffic(mode: LockMode): string {
  return blocks(mode).replace("+", " and ");
}

/** `an ACCESS EXCLUSIVE lock on users (blocks reads and writes)`: a lock and what it does to traffic. */
export function lockPhrase(mode: LockMode, relation: string): string {
  const what = blocks(mode) === "nothing" ? "" : ` (blocks ${blockedTraffic(mode)})`;
  return `${aLock(mode)} on ${relation}${what}`;
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

/** ` and on each of its partitions (p1, p2)`, for a statement Postgres applies to every partition. */
export function partitionsPhrase(statement: AnalyzedStatement): string {
  const tree = statement.effects.partitioned;
  if (!tree) return "";
  const names = descendants(tree);
  const known = tree.complete ? "" : " known here";
  return names.length > 0 ? ` and on each of its partitions${known} (${names.join(", ")})` : "";
}

/**
 * `; <route>` for a statement on a partitioned table, or why it has no safe route (Postgres refuses the
 * usual safe form there); empty for any other table.
 */
export function partitionRouteNote(statement: AnalyzedStatement, route: string): string {
  if (!statement.effects.partitioned) return "";
  const blocker = statement.effects.noPartitionRoute;
  return blocker ? `; no safe route exists: ${blocker}` : `; ${route}`;
}
