import type {
  ClusterStmt,
  CommentStmt,
  CreatePolicyStmt,
  CreateTrigStmt,
  DefElem,
  DeleteStmt,
  DoStmt,
  InsertStmt,
  LockStmt,
  MergeStmt,
  Node,
  RangeVar,
  RefreshMatViewStmt,
  ReindexStmt,
  TransactionStmt,
  TruncateStmt,
  UpdateStmt,
  VacuumRelation,
  VacuumStmt,
  VariableSetStmt,
} from "libpg-query";
import { booleanOption, dottedName, nodeBody, relationName } from "../../sql/ast.js";
import { plpgsqlControlsTransaction } from "../../sql/plpgsql.js";
import type { SchemaContext } from "../context.js";
import { lockModeFromNumber } from "../locks.js";
import type { StatementEffects, TransactionControl } from "../model.js";
import { addLock, addQueryLocks, emptyEffects, objectWords } from "./base.js";
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

/** Objects of `COMMENT ON` that are relations. */
const COMMENT_ON_RELATION = new Set([
  "OBJECT_TABLE",
  "OBJECT_VIEW",
  "OBJECT_MATVIEW",
  "OBJECT_FOREIGN_TABLE",
  "OBJECT_SEQUENCE",
  "OBJECT_INDEX",
]);
/** Objects of `COMMENT ON` named `[schema.]table.name` that belong to a table. */
const COMMENT_ON_TABLE_PART = new Set([
  "OBJECT_TABCONSTRAINT",
  "OBJECT_TRIGGER",
  "OBJECT_POLICY",
  "OBJECT_RULE",
]);

/**
 * COMMENT ON locks a relation or column's relation SHARE UPDATE EXCLUSIVE; for a constraint, trigger,
 * policy or rule it locks that object itself and its table only ACCESS SHARE (get_object_address;
 * pg_locks on 14 and 18).
 */
export function describeComment(stmt: CommentStmt, ctx: SchemaContext): StatementEffects {
  const type = stmt.objtype ?? "";
  const parts = nodeBody<{ items?: Node[] }>(stmt.object, "List")?.items ?? [];
  const relation = COMMENT_ON_RELATION.has(type)
    ? dottedName(parts)
    : type === "OBJECT_COLUMN" || COMMENT_ON_TABLE_PART.has(type)
      ? dottedName(parts.slice(0, -1))
      : "";
  const effects = emptyEffects("CommentStmt", "COMMENT ON", relation || null);
  addLock(
    effects,
    ctx,
    relation,
    COMMENT_ON_TABLE_PART.has(type) ? "AccessShareLock" : "ShareUpdateExclusiveLock",
  );
  return effects;
}

/** CREATE / ALTER SEQUENCE: `OWNED BY table.column` takes ACCESS SHARE on that table. */
export function addOwnedByLock(
  effects: StatementEffects,
  ctx: SchemaContext,
  opts: Node[] | undefined,
): void {
  for (const node of opts ?? []) {
    const option = nodeBody<DefElem>(node, "DefElem");
    if (option?.defname !== "owned_by") continue;
    const parts = nodeBody<{ items?: Node[] }>(option.arg, "List")?.items ?? [];
    // OWNED BY NONE is a one-element list.
    if (parts.length >= 2) addLock(effects, ctx, dottedName(parts.slice(0, -1)), "AccessShareLock");
  }
}

export function describeLock(stmt: LockStmt, ctx: SchemaContext): StatementEffects {
  const mode = lockModeFromNumber(stmt.mode ?? 8);
  const tables = rangeVars(stmt.relations).map(relationName);
  const effects = emptyEffects("LockStmt", "LOCK TABLE", tables[0] ?? null);
  for (const table of tables) addLock(effects, ctx, table, mode);
  return effects;
}

export function describeVacuum(stmt: VacuumStmt, ctx: SchemaContext): StatementEffects {
  // The parse tree omits false booleans: ANALYZE has no is_vacuumcmd at all, VACUUM has it true. ANALYZE
  // can run in a transaction block; VACUUM cannot (Postgres raises 25001).
  const vacuum = stmt.is_vacuumcmd === true;
  const full = vacuum && booleanOption(stmt.options, "full") === true;
  const tables = (stmt.rels ?? []).map((n) =>
    relationName(nodeBody<VacuumRelation>(n, "VacuumRelation")?.relation),
  );
  const label = !vacuum ? "ANALYZE" : full ? "VACUUM FULL" : "VACUUM";
  const effects = emptyEffects("VacuumStmt", label, tables[0] ?? null);
  effects.transactional = !vacuum;
  for (const table of tables) {
    addLock(effects, ctx, table, full ? "AccessExclusiveLock" : "ShareUpdateExclusiveLock");
    if (full && ctx.isExisting(table)) effects.rewrites.push(table);
  }
  return effects;
}

export function describeCluster(stmt: ClusterStmt, ctx: SchemaContext): StatementEffects {
  const table = relationName(stmt.relation);
  const effects = emptyEffects("ClusterStmt", "CLUSTER", table || null);
  if (table) {
    addLock(effects, ctx, table, "AccessExclusiveLock");
    if (ctx.isExisting(table)) effects.rewrites.push(table);
  } else effects.transactional = false;
  return effects;
}

export function describeReindex(stmt: ReindexStmt, ctx: SchemaContext): StatementEffects {
  const concurrent = booleanOption(stmt.params, "concurrently") === true;
  const kind = (stmt.kind ?? "").replace("REINDEX_OBJECT_", "");
  const name = stmt.relation ? relationName(stmt.relation) : (stmt.name ?? "");
  const exclusionTable = kind === "INDEX" ? ctx.tableOfExclusionIndex(name) : null;
  const table =
    kind === "INDEX" ? (ctx.tableOfIndex(name) ?? exclusionTable) : kind === "TABLE" ? name : null;
  const effects = emptyEffects("ReindexStmt", `REINDEX ${kind}`, table);
  effects.objectKind = objectWords(stmt.kind ?? "");
  if (kind === "INDEX") effects.indexes.push({ index: name, table });
  // Postgres rejects REINDEX INDEX CONCURRENTLY of an exclusion constraint's index, and REINDEX TABLE
  // CONCURRENTLY skips such an index with a warning: neither keeps the statement's meaning.
  if (exclusionTable)
    effects.noConcurrentForm = `${name} is the index of an exclusion constraint, which Postgres cannot rebuild concurrently`;
  else if (kind === "TABLE" && ctx.hasExclusionConstraint(name))
    effects.noConcurrentForm = `${name} has an exclusion constraint, whose index REINDEX TABLE CONCURRENTLY skips`;
  effects.buildsIndex = true;
  effects.concurrent = concurrent;
  effects.transactional = !concurrent && (kind === "INDEX" || kind === "TABLE");
  if (table) addLock(effects, ctx, table, concurrent ? "ShareUpdateExclusiveLock" : "ShareLock");
  // Rebuilding an index reads the whole table, as CREATE INDEX does (pg_stat_get_xact_numscans counts it).
  if (table && ctx.isExisting(table)) effects.scans.push(table);
  // The index itself is locked ACCESS EXCLUSIVE: queries that would plan with it wait too.
  if (kind === "INDEX" && !concurrent) addLock(effects, ctx, name, "AccessExclusiveLock");
  return effects;
}

export function describeRefresh(stmt: RefreshMatViewStmt, ctx: SchemaContext): StatementEffects {
  const view = relationName(stmt.relation);
  const effects = emptyEffects("RefreshMatViewStmt", "REFRESH MATERIALIZED VIEW", view);
  effects.concurrent = stmt.concurrent === true;
  addLock(effects, ctx, view, stmt.concurrent ? "ExclusiveLock" : "AccessExclusiveLock");
  if (!stmt.concurrent && ctx.isExisting(view)) effects.rewrites.push(view);
  // CONCURRENTLY diffs the new contents against the whole view (a full join) under its EXCLUSIVE lock.
  if (stmt.concurrent && ctx.isExisting(view)) effects.scans.push(view);
  // The tables the view reads get ACCESS SHARE too; they are in its definition, which the model does not
  // keep, so they are missing here.
  return effects;
}

export function describeTrigger(stmt: CreateTrigStmt, ctx: SchemaContext): StatementEffects {
  const table = relationName(stmt.relation);
  const effects = emptyEffects("CreateTrigStmt", "CREATE TRIGGER", table);
  addLock(effects, ctx, table, "ShareRowExclusiveLock");
  return effects;
}

export function describePolicy(stmt: CreatePolicyStmt, ctx: SchemaContext): StatementEffects {
  const table = relationName(stmt.table);
  const effects = emptyEffects("CreatePolicyStmt", "CREATE POLICY", table);
  addLock(effects, ctx, table, "AccessExclusiveLock");
  return effects;
}

const TRANSACTION_CONTROL: Record<string, TransactionControl> = {
  TRANS_STMT_BEGIN: "begin",
  TRANS_STMT_START: "begin",
  TRANS_STMT_COMMIT: "commit",
  TRANS_STMT_ROLLBACK: "rollback",
  TRANS_STMT_SAVEPOINT: "savepoint",
  TRANS_STMT_RELEASE: "savepoint",
  TRANS_STMT_ROLLBACK_TO: "savepoint",
};

export function describeTransaction(stmt: TransactionStmt): StatementEffects {
  const control = TRANSACTION_CONTROL[stmt.kind ?? ""] ?? "other";
  const effects = emptyEffects("TransactionStmt", control.toUpperCase());
  effects.transactionControl = control;
  return effects;
}

export function describeSet(stmt: VariableSetStmt): StatementEffects {
  const name = (stmt.name ?? "").toLowerCase();
  const effects = emptyEffects("VariableSetStmt", `SET ${name}`);
  if (name === "lock_timeout" || name === "statement_timeout") effects.setsTimeout = name;
  return effects;
}

/**
 * DO: a PL/pgSQL block that commits or rolls back (batched backfills do) cannot run inside a transaction
 * block, so it runs on its own, as CREATE INDEX CONCURRENTLY does. Other languages are not inspected.
 */
export function describeDo(stmt: DoStmt): StatementEffects {
  const effects = emptyEffects("DoStmt", "DO");
  const option = (name: string) => {
    const found = stmt.args?.map((a) => nodeBody<DefElem>(a, "DefElem")).find((d) => d?.defname === name);
    return found?.arg ? nodeBody<{ sval?: string }>(found.arg, "String")?.sval : undefined;
  };
  const language = (option("language") ?? "plpgsql").toLowerCase();
  const body = option("as");
  if (language === "plpgsql" && body !== undefined && plpgsqlControlsTransaction(body) === true)
    effects.transactional = false;
  return effects;
}
