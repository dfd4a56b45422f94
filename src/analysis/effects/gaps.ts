/**
 * What the model knows it does not prove about a statement it describes: each known gap, in words, so
 * that it is reported as not modelled instead of passing in silence.
 */
import type { DropStmt, SelectStmt } from "libpg-query";
import { dottedName, walk } from "../../sql/ast.js";
import type { SchemaContext } from "../context.js";
import type { StatementEffects } from "../model.js";
import { addQueryLocks, emptyEffects, objectWords } from "./base.js";

/** Drops whose CASCADE the schema context follows (the views that read a relation). */
const FOLLOWED_CASCADES = new Set([
  "OBJECT_TABLE",
  "OBJECT_VIEW",
  "OBJECT_MATVIEW",
  "OBJECT_INDEX",
  "OBJECT_SEQUENCE",
]);

export function modelGap(
  kind: string,
  body: unknown,
  effects: StatementEffects,
  ctx: SchemaContext,
): string | undefined {
  if (kind === "DropStmt") {
    const drop = body as DropStmt;
    if (drop.behavior === "DROP_CASCADE" && !FOLLOWED_CASCADES.has(drop.removeType ?? ""))
      return `DROP ${objectWords(drop.removeType ?? "").toUpperCase()} ... CASCADE also drops what depends on it (tables, columns, views, functions), which the model does not know, nor the locks that takes`;
  }
  for (const command of effects.commands) {
    const change = command.typeChange;
    if (!change) continue;
    if (change.from === null)
      return `the current type of ${effects.target}.${command.column} is not known here (the table is from before this migration set), so a rewrite is assumed`;
    if (change.from.name === "timestamp" && change.to.name === "timestamptz" && ctx.pgVersion >= 12)
      return "timestamp to timestamptz keeps the table (no rewrite) when the session's TimeZone is UTC (Postgres 12+), which is only known when it runs: a rewrite is assumed";
  }
  return undefined;
}

/** Functions a SELECT in a migration commonly calls that take no lock on a relation and change no schema. */
const SESSION_FUNCTIONS = new Set([
  "set_config",
  "current_setting",
  "pg_advisory_lock",
  "pg_advisory_xact_lock",
  "pg_advisory_unlock",
  "pg_try_advisory_lock",
  "pg_try_advisory_xact_lock",
  "pg_sleep",
  "now",
  "count",
  "version",
]);

/**
 * SELECT: ACCESS SHARE on what it reads. A function it calls may do anything (create a hypertable,
 * take locks), and FOR UPDATE / SELECT INTO are not modelled: those are reported as gaps.
 */
export function describeSelect(stmt: SelectStmt, ctx: SchemaContext): StatementEffects {
  const effects = emptyEffects("SelectStmt", "SELECT");
  addQueryLocks(effects, ctx, stmt);
  const called = new Set<string>();
  let locking = false;
  walk(stmt, (type, node) => {
    if (type === "FuncCall") {
      const name = dottedName(node.funcname as never).replace(/^pg_catalog\./, "");
      if (!SESSION_FUNCTIONS.has(name)) called.add(name);
    }
    if (type === "LockingClause") locking = true;
  });
  if (stmt.intoClause)
    effects.unmodelled = "SELECT ... INTO creates a table, which the model does not describe";
  else if (locking)
    effects.unmodelled = "the row locks of SELECT ... FOR UPDATE / FOR SHARE are not modelled";
  else if (called.size > 0)
    effects.unmodelled = `SELECT calls ${[...called].join(", ")}, whose locks and effects are not known`;
  return effects;
}
