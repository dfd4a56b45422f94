import { defineRule } from "../rule.js";

export default defineRule({
  id: "rename-table",
  category: "compat",
  defaultSeverity: "error",
  description:
    "ALTER TABLE ... RENAME TO (or renaming a view or sequence) breaks the application version still running.",
  help: "Create the new table (or an updatable view under the old name) for the transition; drop the old name in the contract phase.",
  check(statement) {
    const { renamed, compat, objectKind } = statement.effects;
    if (statement.phase !== "expand" || renamed?.kind !== "table" || compat !== "contract") return [];
    return [
      {
        message: `renaming ${objectKind ?? "table"} ${renamed.from} to ${renamed.to} breaks the running application version, which still uses the old name`,
      },
    ];
  },
});
