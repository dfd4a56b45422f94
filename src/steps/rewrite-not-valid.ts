/** CHECK and FOREIGN KEY on an existing table: added NOT VALID, validated after a commit. */
import type { Constraint } from "libpg-query";
import type { CommandEffects } from "../analysis/model.js";
import { type AlterParts, addConstraint } from "./alter-parts.js";
import { cloneTree } from "./deparse.js";
import { checkConstraintName, makeObjectName, nameAddition } from "./pg-names.js";

/** Adds the NOT VALID form and its validation; false when the constraint stays as written. */
export function rewriteNotValid(command: CommandEffects, parts: AlterParts): boolean {
  const constraint = command.constraint;
  if (!constraint || (constraint.kind !== "check" && constraint.kind !== "foreign-key")) return false;
  const name =
    constraint.name ??
    (constraint.kind === "check"
      ? checkConstraintName(parts.table, constraint.ast.raw_expr)
      : makeObjectName(parts.table, nameAddition(constraint.columns), "fkey"));
  // A second unnamed constraint of the same name gets a number from Postgres: leave it to Postgres.
  if (!constraint.name && parts.validate.includes(name)) return false;
  parts.keep.push(addConstraint(notValid(constraint.ast, name)));
  parts.validate.push(name);
  parts.resolves.add("constraint-missing-not-valid");
  return true;
}

export function notValid(constraint: Constraint, name: string): Constraint {
  const copy = cloneTree(constraint);
  copy.conname = name;
  copy.skip_validation = true;
  delete copy.initially_valid;
  return copy;
}
