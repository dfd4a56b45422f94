import type { ColumnDef } from "libpg-query";
import { nodeBody } from "../../sql/ast.js";
import { defineRule } from "../rule.js";
import { columnReport, newColumns } from "./columns.js";

const WHY =
  "which stores wall-clock time without an offset, so values written from different time zones do not compare";

export default defineRule({
  id: "prefer-timestamptz",
  category: "style",
  defaultSeverity: "warning",
  description: "A `timestamp` (without time zone) column: a new column, or ALTER COLUMN ... TYPE timestamp.",
  help: "Use timestamptz (timestamp with time zone).",
  check(statement) {
    const table = statement.effects.target;
    const added = newColumns(statement)
      .filter((column) => column.info.type.name === "timestamp")
      .map((column) =>
        columnReport(statement, column.def, `column ${column.label} is timestamp without time zone, ${WHY}`),
      );
    const changed = statement.effects.commands
      .filter((c) => c.typeChange?.to.name === "timestamp")
      .map((c) =>
        columnReport(
          statement,
          nodeBody<ColumnDef>(c.ast.def, "ColumnDef"),
          `column ${table}.${c.column} is changed to timestamp without time zone, ${WHY}`,
          c.column ?? "",
        ),
      );
    return [...added, ...changed];
  },
});
