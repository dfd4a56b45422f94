/**
 * ALTER TABLE rewrites. The statement keeps every sub-command that is safe as written, in order, with
 * constraints turned NOT VALID and SET NOT NULL replaced by a NOT VALID helper CHECK; what follows runs in
 * later steps: the validations (each after a commit, in a transaction of their own), SET NOT NULL with
 * the helper dropped, concurrent unique index builds, and the constraints attached with USING INDEX.
 */

import { createHash } from "node:crypto";
import type {
  AlterTableCmd,
  AlterTableStmt,
  ColumnDef,
  Constraint,
  IndexStmt,
  Node,
  RangeVar,
} from "libpg-query";
import { parseSync } from "libpg-query";
import type { AnalyzedStatement, CommandEffects } from "../analysis/model.js";
import type { RuleId } from "../analysis/rules/index.js";
import { nodeBody, stringList } from "../sql/ast.js";
import { cloneTree } from "./deparse.js";
import { checkConstraintName, makeObjectName, nameAddition } from "./pg-names.js";
import type { PieceDraft } from "./piece.js";

const str = (sval: string): Node => ({ String: { sval } });

/** What the rewrite of one ALTER TABLE collects while it walks the sub-commands. */
interface AlterParts {
  relation: RangeVar;
  /** `ALTER TABLE IF EXISTS`: every piece must be a no-op when the table is missing. */
  missingOk: boolean;
  keep: Node[];
  validate: string[];
  setNotNull: Array<{ column: string; helper: string }>;
  builds: Array<{ index: IndexStmt; attach: Constraint }>;
  resolves: Set<RuleId>;
}

export function rewriteAlterTable(statement: AnalyzedStatement, pgVersion: number): PieceDraft[] | null {
  const stmt = nodeBody<AlterTableStmt>(statement.sql.ast ?? undefined, "AlterTableStmt");
  if (!stmt || (stmt.objtype ?? "OBJECT_TABLE") !== "OBJECT_TABLE") return null;
  const table = stmt.relation?.relname ?? "";
  const parts: AlterParts = {
    relation: stmt.relation ?? {},
    missingOk: stmt.missing_ok === true,
    keep: [],
    validate: [],
    setNotNull: [],
    builds: [],
    resolves: new Set(),
  };
  statement.effects.commands.forEach((command, i) => {
    const node = (stmt.cmds ?? [])[i] as Node;
    if (!rewriteCommand(command, table, pgVersion, parts)) parts.keep.push(cloneTree(node));
  });
  if (parts.resolves.size === 0) return null;
  return assemble(stmt, parts);
}

/** Adds the command's safe form to the parts of the rewrite; false when the command stays as written. */
function rewriteCommand(
  command: CommandEffects,
  table: string,
  pgVersion: number,
  parts: AlterParts,
): boolean {
  const constraint = command.constraint;
  if (command.subtype === "AT_AddConstraint" && constraint && command.scan) {
    if (constraint.kind === "check" || constraint.kind === "foreign-key") {
      const name =
        constraint.name ??
        (constraint.kind === "check"
          ? checkConstraintName(table, constraint.ast.raw_expr)
          : makeObjectName(table, nameAddition(constraint.columns), "fkey"));
      // A second unnamed constraint of the same name gets a number from Postgres: leave it to Postgres.
      if (!constraint.name && parts.validate.includes(name)) return false;
      parts.keep.push(addConstraint(notValid(constraint.ast, name)));
      parts.validate.push(name);
      parts.resolves.add("constraint-missing-not-valid");
      return true;
    }
    const unique = constraint.kind === "unique" || constraint.kind === "primary-key";
    // CREATE INDEX has no IF EXISTS for its table: under ALTER TABLE IF EXISTS the constraint stays as written.
    if (unique && !constraint.usingIndex && !parts.missingOk) {
      if (constraint.kind === "primary-key") {
        if (pgVersion < 12) return false;
        for (const column of constraint.columns) notNullRoute(table, column, parts);
      }
      parts.builds.push(uniqueIndexFor(parts.relation, constraint.ast, constraint.columns));
      parts.resolves.add("unique-constraint-without-index");
      return true;
    }
  }
  if (command.subtype === "AT_AddColumn" && command.addColumn?.references && command.column) {
    return splitInlineForeignKey(command, table, parts);
  }
  if (command.subtype === "AT_SetNotNull" && command.scan && command.column && pgVersion >= 12) {
    notNullRoute(table, command.column, parts);
    parts.resolves.add("set-not-null-full-scan");
    return true;
  }
  return false;
}

export function addConstraint(constraint: Constraint): Node {
  return { AlterTableCmd: { subtype: "AT_AddConstraint", def: { Constraint: constraint } } };
}

export function notValid(constraint: Constraint, name: string): Constraint {
  const copy = cloneTree(constraint);
  copy.conname = name;
  copy.skip_validation = true;
  delete copy.initially_valid;
  return copy;
}

/** SET NOT NULL via a CHECK (col IS NOT NULL) NOT VALID, validated, so that SET NOT NULL does not scan. */
function notNullRoute(table: string, column: string, parts: AlterParts): void {
  // `SET NOT NULL` and a PRIMARY KEY on the same column in one statement share the route.
  if (parts.setNotNull.some((entry) => entry.column === column)) return;
  const helper = makeObjectName(table, column, "sm_not_null");
  const check: Constraint = {
    contype: "CONSTR_CHECK",
    conname: helper,
    is_enforced: true,
    skip_validation: true,
    raw_expr: { NullTest: { arg: { ColumnRef: { fields: [str(column)] } }, nulltesttype: "IS_NOT_NULL" } },
  };
  parts.keep.push(addConstraint(check));
  parts.validate.push(helper);
  parts.setNotNull.push({ column, helper });
}

/**
 * `ADD COLUMN c ... REFERENCES t2`, when Postgres would check existing rows (the column gets a default): the
 * column is added without the foreign key, which follows in the same statement as a NOT VALID table
 * constraint under the name Postgres would give it (`table_c_fkey`). The DEFERRABLE / INITIALLY ... clauses
 * that follow an inline REFERENCES are separate nodes that belong to it: they move with it.
 */
function splitInlineForeignKey(command: CommandEffects, table: string, parts: AlterParts): boolean {
  // ADD COLUMN IF NOT EXISTS skips its constraints with the column; a separate ADD CONSTRAINT would not.
  if (!command.addColumn?.referencesValidated || command.ast.missing_ok) return false;
  const node = cloneTree(command.ast);
  const def = nodeBody<ColumnDef>(node.def, "ColumnDef");
  const column = command.column as string;
  const split = def ? takeInlineForeignKeys(def) : null;
  if (!def || !split || split.length === 0) return false;
  if (split.filter((fk) => !fk.conname).length > 1) return false;
  if (def.constraints?.length === 0) delete def.constraints;
  parts.keep.push({ AlterTableCmd: node as AlterTableCmd });
  for (const fk of split) {
    const name = fk.conname ?? makeObjectName(table, column, "fkey");
    parts.keep.push(addConstraint({ ...notValid(fk, name), fk_attrs: [str(column)] }));
    parts.validate.push(name);
  }
  parts.resolves.add("constraint-missing-not-valid");
  return true;
}

/**
 * Removes the column's REFERENCES constraints, each with the attribute clauses after it applied to it;
 * null when one is NOT ENFORCED (Postgres does not check it, and it cannot be validated).
 */
function takeInlineForeignKeys(def: ColumnDef): Constraint[] | null {
  const kept: Node[] = [];
  const taken: Constraint[] = [];
  let owner: Constraint | null = null;
  for (const item of def.constraints ?? []) {
    const constraint = nodeBody<Constraint>(item, "Constraint");
    const contype = constraint?.contype ?? "";
    if (contype === "CONSTR_FOREIGN") {
      owner = constraint as Constraint;
      taken.push(owner);
      continue;
    }
    if (owner && contype.startsWith("CONSTR_ATTR_")) {
      if (contype === "CONSTR_ATTR_NOT_ENFORCED") return null;
      applyAttribute(owner, contype);
      continue;
    }
    owner = null;
    kept.push(item);
  }
  def.constraints = kept;
  return taken;
}

function applyAttribute(constraint: Constraint, contype: string): void {
  if (contype === "CONSTR_ATTR_DEFERRABLE") constraint.deferrable = true;
  if (contype === "CONSTR_ATTR_NOT_DEFERRABLE") delete constraint.deferrable;
  if (contype === "CONSTR_ATTR_DEFERRED") constraint.initdeferred = true;
  if (contype === "CONSTR_ATTR_IMMEDIATE") delete constraint.initdeferred;
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
  try {
    const tree = parseSync(`ALTER TABLE t ADD UNIQUE USING INDEX ${name}`) as {
      stmts?: Array<{ stmt?: Node }>;
    };
    const cmd = nodeBody<AlterTableStmt>(tree.stmts?.[0]?.stmt, "AlterTableStmt")?.cmds?.[0];
    const def = nodeBody<AlterTableCmd>(cmd, "AlterTableCmd")?.def;
    return nodeBody<Constraint>(def, "Constraint")?.indexname === name;
  } catch {
    return false;
  }
}

/** The same for every run of the same migration, so that a resumed build finds its leftover. */
function plainIndexName(table: RangeVar, name: string): string {
  const digest = createHash("sha256")
    .update(`${table.schemaname ?? ""}.${table.relname ?? ""}.${name}`)
    .digest("hex");
  return `sm_unique_${digest.slice(0, 16)}`;
}

/** The pieces, in dependency order. */
function assemble(stmt: AlterTableStmt, parts: AlterParts): PieceDraft[] {
  const resolves = [...parts.resolves];
  const alter = (cmds: Node[]): Node => ({
    AlterTableStmt: {
      relation: cloneTree(stmt.relation),
      cmds,
      objtype: "OBJECT_TABLE",
      ...(stmt.missing_ok ? { missing_ok: true } : {}),
    },
  });
  const cmd = (subtype: string, name: string): Node => ({
    AlterTableCmd: { subtype: subtype as AlterTableCmd["subtype"], name, behavior: "DROP_RESTRICT" },
  });
  const drafts: PieceDraft[] = [];
  const add = (ast: Node, alone: boolean) => drafts.push({ ast, alone, resolves });
  if (parts.keep.length > 0) add(alter(parts.keep), false);
  if (parts.validate.length > 0)
    add(alter(parts.validate.map((name) => cmd("AT_ValidateConstraint", name))), true);
  if (parts.setNotNull.length > 0) {
    const cmds = [
      ...parts.setNotNull.map(({ column }) => cmd("AT_SetNotNull", column)),
      ...parts.setNotNull.map(({ helper }) => cmd("AT_DropConstraint", helper)),
    ];
    add(alter(cmds), false);
  }
  for (const { index } of parts.builds)
    add({ IndexStmt: { ...index, relation: cloneTree(stmt.relation) } }, true);
  if (parts.builds.length > 0) add(alter(parts.builds.map(({ attach }) => addConstraint(attach))), false);
  return drafts;
}
