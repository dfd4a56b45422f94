/** UNIQUE and PRIMARY KEY on an existing table: the index built CONCURRENTLY, then the constraint adopts it. */
import { createHash } from "node:crypto";
import type { AlterTableCmd, AlterTableStmt, Constraint, IndexStmt, Node, RangeVar } from "libpg-query";
import type { CommandEffects } from "../analysis/model.js";
import { nodeBody, stringList } from "../sql/ast.js";
import { parseOneStatement } from "../sql/parse.js";
import type { AlterParts } from "./alter-parts.js";
import { cloneTree } from "./deparse.js";
import { makeObjectName, nameAddition } from "./pg-names.js";
import { notNullRoute } from "./rewrite-set-not-null.js";

/** Adds the concurrent build and the USING INDEX attach; false when the constraint stays as written. */
export function rewriteUniqueThroughIndex(
  command: CommandEffects,
  pgVersion: number,
  parts: AlterParts,
): boolean {
  const constraint = command.constraint;
  if (!constraint || (constraint.kind !== "unique" && constraint.kind !== "primary-key")) return false;
  // CREATE INDEX has no IF EXISTS for its table: under ALTER TABLE IF EXISTS the constraint stays as written.
  if (constraint.usingIndex || parts.missingOk) return false;
  if (constraint.kind === "primary-key") {
    if (pgVersion < 12) return false;
    for (const column of constraint.columns) notNullRoute(column, parts);
  }
  parts.builds.push(uniqueIndexFor(parts.relation, constraint.ast, constraint.columns));
  parts.resolves.add("unique-constraint-without-index");
  return true;
}

/**
 * The unique index a UNIQUE / PRIMARY KEY constraint would build, and the constraint that adopts it. The
 * printer leaves the name after USING INDEX unquoted, so a name that needs quotes is built under a plain
 * name derived from it; Postgres renames the index to the constraint's name when it adopts it.
 */
export function uniqueIndexFor(
  table: RangeVar,
  constraint: Constraint,
  columns: string[],
): { index: IndexStmt; attach: Constraint } {
  const primary = constraint.contype === "CONSTR_PRIMARY";
  const relname = table.relname ?? "";
  const name =
    constraint.conname ??
    (primary ? makeObjectName(relname, null, "pkey") : makeObjectName(relname, nameAddition(columns), "key"));
  const buildName = bareIdentifier(name) ? name : plainIndexName(table, name);
  const element = (column: string): Node => ({
    IndexElem: { name: column, ordering: "SORTBY_DEFAULT", nulls_ordering: "SORTBY_NULLS_DEFAULT" },
  });
  const index: IndexStmt = {
    idxname: buildName,
    accessMethod: "btree",
    indexParams: columns.map(element),
    unique: true,
    concurrent: true,
  };
  if (constraint.including?.length)
    index.indexIncludingParams = stringList(constraint.including).map(element);
  if (constraint.options?.length) index.options = cloneTree(constraint.options);
  if (constraint.indexspace) index.tableSpace = constraint.indexspace;
  if (constraint.nulls_not_distinct) index.nulls_not_distinct = true;
  const attach: Constraint = { contype: constraint.contype, indexname: buildName };
  if (constraint.conname || buildName !== name) attach.conname = name;
  if (constraint.deferrable) attach.deferrable = true;
  if (constraint.initdeferred) attach.initdeferred = true;
  return { index, attach };
}

/** A name that reads back as itself without quotes after USING INDEX (lower case, not a keyword). */
function bareIdentifier(name: string): boolean {
  if (!/^[a-z_][a-z0-9_$]*$/.test(name)) return false;
  const stmt = parseOneStatement(`ALTER TABLE t ADD UNIQUE USING INDEX ${name}`) ?? undefined;
  const cmd = nodeBody<AlterTableStmt>(stmt, "AlterTableStmt")?.cmds?.[0];
  const def = nodeBody<AlterTableCmd>(cmd, "AlterTableCmd")?.def;
  return nodeBody<Constraint>(def, "Constraint")?.indexname === name;
}

/** The same for every run of the same migration, so that a resumed build finds its leftover. */
function plainIndexName(table: RangeVar, name: string): string {
  const digest = createHash("sha256")
    .update(`${table.schemaname ?? ""}.${table.relname ?? ""}.${name}`)
    .digest("hex");
  return `sm_unique_${digest.slice(0, 16)}`;
}
