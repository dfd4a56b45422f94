/**
 * What the rewrite of one ALTER TABLE collects while it walks the sub-commands; each sub-command's rewrite
 * (one file each: rewrite-not-valid, rewrite-set-not-null, rewrite-unique-index, rewrite-inline-foreign-key)
 * adds to it, and rewrite-alter.ts assembles the pieces.
 */
import type { Constraint, IndexStmt, Node, RangeVar } from "libpg-query";
import type { RuleId } from "../analysis/rules/index.js";

export interface AlterParts {
  relation: RangeVar;
  /** The table's name, from which Postgres derives default constraint names. */
  table: string;
  /** `ALTER TABLE IF EXISTS`: every piece must be a no-op when the table is missing. */
  missingOk: boolean;
  /** Sub-commands of the first statement, as written or in their NOT VALID form. */
  keep: Node[];
  /** Constraints validated after a commit, in a transaction of their own. */
  validate: string[];
  setNotNull: Array<{ column: string; helper: string }>;
  builds: Array<{ index: IndexStmt; attach: Constraint }>;
  resolves: Set<RuleId>;
}

export function addConstraint(constraint: Constraint): Node {
  return { AlterTableCmd: { subtype: "AT_AddConstraint", def: { Constraint: constraint } } };
}

export const columnName = (sval: string): Node => ({ String: { sval } });
