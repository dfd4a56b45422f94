/** SET NOT NULL through a CHECK (col IS NOT NULL) NOT VALID, validated, so that SET NOT NULL does not scan. */
import type { Constraint } from "libpg-query";
import { type AlterParts, addConstraint, columnName } from "./alter-parts.js";
import { makeObjectName } from "./pg-names.js";

/** The route for `column`: the helper CHECK now, its validation, then SET NOT NULL and the helper dropped. */
export function notNullRoute(column: string, parts: AlterParts): void {
  // `SET NOT NULL` and a PRIMARY KEY on the same column in one statement share the route.
  if (parts.setNotNull.some((entry) => entry.column === column)) return;
  const helper = makeObjectName(parts.table, column, "sm_not_null");
  const check: Constraint = {
    contype: "CONSTR_CHECK",
    conname: helper,
    is_enforced: true,
    skip_validation: true,
    raw_expr: {
      NullTest: { arg: { ColumnRef: { fields: [columnName(column)] } }, nulltesttype: "IS_NOT_NULL" },
    },
  };
  parts.keep.push(addConstraint(check));
  parts.validate.push(helper);
  parts.setNotNull.push({ column, helper });
}
