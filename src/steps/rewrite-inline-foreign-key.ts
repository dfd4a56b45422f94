/** An inline REFERENCES of an added column that Postgres would check: split off and added NOT VALID. */
import type { AlterTableCmd, ColumnDef, Constraint, Node } from "libpg-query";
import type { CommandEffects } from "../analysis/model.js";
import { nodeBody } from "../sql/ast.js";
import { type AlterParts, addConstraint, columnName } from "./alter-parts.js";
import { cloneTree } from "./deparse.js";
import { makeObjectName } from "./pg-names.js";
import { notValid } from "./rewrite-not-valid.js";

/**
 * `ADD COLUMN c ... REFERENCES t2`, when Postgres would check existing rows (the column gets a default): the
 * column is added without the foreign key, which follows in the same statement as a NOT VALID table
 * constraint under the name Postgres would give it (`table_c_fkey`). The DEFERRABLE / INITIALLY ... clauses
 * that follow an inline REFERENCES are separate nodes that belong to it: they move with it.
 */
export function splitInlineForeignKey(command: CommandEffects, parts: AlterParts): boolean {
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
    const name = fk.conname ?? makeObjectName(parts.table, column, "fkey");
    parts.keep.push(addConstraint({ ...notValid(fk, name), fk_attrs: [columnName(column)] }));
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
