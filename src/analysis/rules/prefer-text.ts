import { defineRule } from "../rule.js";
import { columnReport, newColumns, sqlType } from "./columns.js";

export default defineRule({
  id: "prefer-text",
  category: "style",
  defaultSeverity: "warning",
  description: "A varchar(n) or char(n) column in a new table or new column.",
  help: "Use text, with a CHECK (length(col) <= n) constraint if the limit matters.",
  check(statement) {
    return newColumns(statement).flatMap((column) => {
      const { type } = column.info;
      const bounded = type.name === "varchar" && type.modifiers.length > 0;
      if (!bounded && type.name !== "bpchar") return [];
      const why =
        type.name === "bpchar"
          ? "which pads values with blanks and changes only through ALTER COLUMN TYPE"
          : "whose limit changes only through ALTER COLUMN TYPE (lowering it rewrites the table)";
      return [columnReport(statement, column.def, `column ${column.label} is ${sqlType(type)}, ${why}`)];
    });
  },
});
