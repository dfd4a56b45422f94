import type { AlterObjectSchemaStmt, ExplainStmt, Node, RangeVar } from "libpg-query";
import { booleanOption, dottedName, relationName, upperWords } from "../../sql/ast.js";
import type { SchemaContext } from "../context.js";
import type { StatementEffects } from "../model.js";
import { describeAlterTable } from "./alter-table.js";
import { addLock, emptyEffects, markCreated } from "./base.js";
import { describeDataChange, describeLock, describeMerge, describeTruncate } from "./data.js";
import {
  describeAlterEnum,
  describeCreateTable,
  describeCreateTableAs,
  describeDrop,
  describeIndex,
  describeRename,
  describeView,
} from "./ddl.js";
import { describeSelect, modelGap } from "./gaps.js";
import { describeCluster, describeRefresh, describeReindex, describeVacuum } from "./maintenance.js";
import { describeGrant, describeGrantRole } from "./privileges.js";
import { describeDiscard, describeDo, describeSet, describeTransaction } from "./session.js";
import {
  describeAlterPolicy,
  describeAlterSequence,
  describeComment,
  describeCreateSequence,
  describePolicy,
  describeTrigger,
} from "./table-objects.js";

// biome-ignore lint/suspicious/noExplicitAny: each describer takes its own node body type.
type Describer = (body: any, ctx: SchemaContext, transaction: number) => StatementEffects;

const DESCRIBERS: Record<string, Describer> = {
  AlterTableStmt: describeAlterTable,
  CreateStmt: describeCreateTable,
  IndexStmt: describeIndex,
  DropStmt: describeDrop,
  RenameStmt: describeRename,
  CreateTableAsStmt: describeCreateTableAs,
  ViewStmt: describeView,
  AlterEnumStmt: describeAlterEnum,
  TruncateStmt: describeTruncate,
  UpdateStmt: (body, ctx) => describeDataChange("update", body, ctx),
  DeleteStmt: (body, ctx) => describeDataChange("delete", body, ctx),
  InsertStmt: (body, ctx) => describeDataChange("insert", body, ctx),
  LockStmt: describeLock,
  VacuumStmt: describeVacuum,
  ClusterStmt: describeCluster,
  ReindexStmt: describeReindex,
  RefreshMatViewStmt: describeRefresh,
  CreateTrigStmt: describeTrigger,
  CreatePolicyStmt: describePolicy,
  AlterPolicyStmt: describeAlterPolicy,
  TransactionStmt: describeTransaction,
  VariableSetStmt: describeSet,
  CreateSeqStmt: describeCreateSequence,
  AlterSeqStmt: describeAlterSequence,
  CommentStmt: describeComment,
  ExplainStmt: describeExplain,
  DoStmt: describeDo,
  DiscardStmt: describeDiscard,
  SelectStmt: describeSelect,
  // SHOW reads a setting: no lock, no change.
  VariableShowStmt: () => emptyEffects("VariableShowStmt", "SHOW"),
  MergeStmt: describeMerge,
  GrantStmt: describeGrant,
  GrantRoleStmt: describeGrantRole,
  AlterObjectSchemaStmt: (body: AlterObjectSchemaStmt, ctx) => {
    const table = relationName(body.relation);
    const effects = emptyEffects("AlterObjectSchemaStmt", "SET SCHEMA", table || null);
    // Moving an object to another schema breaks code that names it.
    effects.compat = "contract";
    addLock(effects, ctx, table, "AccessExclusiveLock");
    return effects;
  },
};

/**
 * EXPLAIN ANALYZE runs its statement, which then has all its effects (an UPDATE changes rows); a plain
 * EXPLAIN only plans it, taking the locks of its parse analysis.
 */
function describeExplain(stmt: ExplainStmt, ctx: SchemaContext, transaction: number): StatementEffects {
  const inner = describeStatement(stmt.query ?? null, ctx, transaction);
  if (booleanOption(stmt.options, "analyze") === true)
    return { ...inner, action: `EXPLAIN ANALYZE ${inner.action}` };
  const effects = emptyEffects("ExplainStmt", "EXPLAIN", inner.target);
  effects.locks = inner.locks;
  return effects;
}

/** Statements that only add objects nobody uses yet. */
const ADDITIVE = new Set([
  "CreateEnumStmt",
  "CompositeTypeStmt",
  "CreateDomainStmt",
  "CreateFunctionStmt",
  "CreateExtensionStmt",
  "CreateSchemaStmt",
  "CreateRangeStmt",
  "DefineStmt",
]);

function label(kind: string): string {
  return upperWords(kind.replace(/Stmt$/, ""));
}

/** The statement model: locks, rewrites, scans, transactionality and compatibility of one statement. */
export function describeStatement(
  ast: Node | null,
  ctx: SchemaContext,
  transaction: number,
): StatementEffects {
  if (!ast) return emptyEffects("Invalid", "syntax error");
  const [kind, body] = Object.entries(ast)[0] as [string, unknown];
  const describe = DESCRIBERS[kind];
  if (describe) {
    const effects = markCreated(describe(body, ctx, transaction));
    const gap = effects.unmodelled ?? modelGap(kind, body, effects, ctx);
    if (gap) effects.unmodelled = gap;
    return effects;
  }
  const effects = emptyEffects(kind, label(kind));
  if (ADDITIVE.has(kind)) effects.compat = "additive";
  else
    effects.unmodelled = `${effects.action} is not in the statement model: its locks and effects are not known`;
  const created = createdObject(kind, body as Record<string, unknown>);
  if (created?.name) effects.createdObject = created;
  return effects;
}

/**
 * The type, domain, function, procedure or schema a statement creates, named as DROP names it. Not
 * for `CREATE OR REPLACE` or `IF NOT EXISTS`, whose object may be older than this migration.
 */
function createdObject(kind: string, body: Record<string, unknown>): { kind: string; name: string } | null {
  if (body.replace === true || body.if_not_exists === true) return null;
  switch (kind) {
    case "CreateEnumStmt":
    case "CreateRangeStmt":
      return { kind: "OBJECT_TYPE", name: dottedName(body.typeName as Node[]) };
    case "CompositeTypeStmt":
      return { kind: "OBJECT_TYPE", name: relationName(body.typevar as RangeVar) };
    case "CreateDomainStmt":
      return { kind: "OBJECT_DOMAIN", name: dottedName(body.domainname as Node[]) };
    case "CreateFunctionStmt":
      return {
        kind: body.is_procedure ? "OBJECT_PROCEDURE" : "OBJECT_FUNCTION",
        name: dottedName(body.funcname as Node[]),
      };
    case "CreateSchemaStmt":
      return { kind: "OBJECT_SCHEMA", name: String(body.schemaname ?? "") };
    default:
      return null;
  }
}
