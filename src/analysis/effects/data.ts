/** Data changes and explicit locks: TRUNCATE, UPDATE / DELETE / INSERT, MERGE, LOCK TABLE. */
import type {
  DeleteStmt,
  InsertStmt,
  LockStmt,
  MergeStmt,
  Node,
  RangeVar,
  TruncateStmt,
  UpdateStmt,
} from "libpg-query";
import { nodeBody, relationName } from "../../sql/ast.js";
import type { SchemaContext } from "../context.js";
import { lockModeFromNumber } from "../locks.js";
import type { StatementEffects } from "../model.js";
import { addLock, addQueryLocks, emptyEffects } from "./base.js";
import { dropPartitions } from "./partitions.js";

function rangeVars(nodes: Node[] | undefined): RangeVar[] {
  return (nodes ?? []).flatMap((n) => {
    const rv = nodeBody<RangeVar>(n, "RangeVar");
    return rv ? [rv] : [];
  });
}

export function describeTruncate(stmt: TruncateStmt, ctx: SchemaContext): StatementEffects {
  const tables = rangeVars(stmt.relations).map(relationName);
  const effects = emptyEffects("TruncateStmt", "TRUNCATE", tables[0] ?? null);
  for (const table of tables) addLock(effects, ctx, table, "AccessExclusiveLock");
  effects.rewrites.push(...tables.filter((t) => ctx.isExisting(t)));
  dropPartitions(effects, ctx, tables);
  effects.compat = tables.some((t) => ctx.isExisting(t)) ? "contract" : "neutral";
  return effects;
}

export function describeDataChange(
  kind: "update" | "delete" | "insert",
  stmt: UpdateStmt | DeleteStmt | InsertStmt,
  ctx: SchemaContext,
): StatementEffects {
  const table = relationName(stmt.relation);
  const effects = emptyEffects(`${kind[0]?.toUpperCase()}${kind.slice(1)}Stmt`, kind.toUpperCase(), table);
  addLock(effects, ctx, table, "RowExclusiveLock");
  addQueryLocks(effects, ctx, stmt);
  const hasWhere = "whereClause" in stmt && stmt.whereClause !== undefined;
  effects.dataChange = { table, hasWhere, kind };
  return effects;
}

/** MERGE: ROW EXCLUSIVE on the target, ACCESS SHARE on what it reads (PG15+). */
export function describeMerge(stmt: MergeStmt, ctx: SchemaContext): StatementEffects {
  const table = relationName(stmt.relation);
  const effects = emptyEffects("MergeStmt", "MERGE", table);
  addLock(effects, ctx, table, "RowExclusiveLock");
  addQueryLocks(effects, ctx, stmt);
  return effects;
}

export function describeLock(stmt: LockStmt, ctx: SchemaContext): StatementEffects {
  const mode = lockModeFromNumber(stmt.mode ?? 8);
  const tables = rangeVars(stmt.relations).map(relationName);
  const effects = emptyEffects("LockStmt", "LOCK TABLE", tables[0] ?? null);
  for (const table of tables) addLock(effects, ctx, table, mode);
  return effects;
}
