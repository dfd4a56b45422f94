/** Objects attached to a table: comments, triggers, policies, sequences (OWNED BY a column). */
import type {
  AlterPolicyStmt,
  AlterSeqStmt,
  CommentStmt,
  CreatePolicyStmt,
  CreateSeqStmt,
  CreateTrigStmt,
  DefElem,
  Node,
} from "libpg-query";
import { dottedName, nodeBody, relationName } from "../../sql/ast.js";
import type { SchemaContext } from "../context.js";
import type { StatementEffects } from "../model.js";
import { addLock, emptyEffects } from "./base.js";
import { recurseToPartitions } from "./partitions.js";

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

export function describeCreateSequence(stmt: CreateSeqStmt, ctx: SchemaContext): StatementEffects {
  const name = relationName(stmt.sequence);
  const effects = emptyEffects("CreateSeqStmt", "CREATE SEQUENCE", name);
  effects.creates.push(name);
  effects.compat = "additive";
  addOwnedByLock(effects, ctx, stmt.options);
  return effects;
}

export function describeAlterSequence(stmt: AlterSeqStmt, ctx: SchemaContext): StatementEffects {
  const effects = emptyEffects("AlterSeqStmt", "ALTER SEQUENCE", relationName(stmt.sequence));
  addOwnedByLock(effects, ctx, stmt.options);
  return effects;
}

/** CREATE / ALTER SEQUENCE: `OWNED BY table.column` takes ACCESS SHARE on that table. */
function addOwnedByLock(effects: StatementEffects, ctx: SchemaContext, opts: Node[] | undefined): void {
  for (const node of opts ?? []) {
    const option = nodeBody<DefElem>(node, "DefElem");
    if (option?.defname !== "owned_by") continue;
    const parts = nodeBody<{ items?: Node[] }>(option.arg, "List")?.items ?? [];
    // OWNED BY NONE is a one-element list.
    if (parts.length >= 2) addLock(effects, ctx, dottedName(parts.slice(0, -1)), "AccessShareLock");
  }
}

/**
 * CREATE TRIGGER: SHARE ROW EXCLUSIVE on the table. A row-level trigger on a partitioned table is cloned
 * onto every partition, each locked in the same mode (pg_locks on 14 and 18).
 */
export function describeTrigger(stmt: CreateTrigStmt, ctx: SchemaContext): StatementEffects {
  const table = relationName(stmt.relation);
  const effects = emptyEffects("CreateTrigStmt", "CREATE TRIGGER", table);
  addLock(effects, ctx, table, "ShareRowExclusiveLock");
  if (stmt.row === true) recurseToPartitions(effects, ctx);
  return effects;
}

/** CREATE POLICY and ALTER POLICY lock the table ACCESS EXCLUSIVE (pg_locks on 14 and 18). */
export function describePolicy(stmt: CreatePolicyStmt, ctx: SchemaContext): StatementEffects {
  return policyEffects("CreatePolicyStmt", "CREATE POLICY", relationName(stmt.table), ctx);
}

export function describeAlterPolicy(stmt: AlterPolicyStmt, ctx: SchemaContext): StatementEffects {
  return policyEffects("AlterPolicyStmt", "ALTER POLICY", relationName(stmt.table), ctx);
}

function policyEffects(kind: string, action: string, table: string, ctx: SchemaContext): StatementEffects {
  const effects = emptyEffects(kind, action, table);
  addLock(effects, ctx, table, "AccessExclusiveLock");
  return effects;
}
