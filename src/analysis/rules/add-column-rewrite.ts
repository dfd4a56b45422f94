import { defineRule, existingTableCommands } from "../rule.js";
import { commandRange } from "./columns.js";

export default defineRule({
  id: "add-column-rewrite",
  category: "rewrite",
  defaultSeverity: "error",
  description:
    "ADD COLUMN with a volatile default, a stored generated expression or an identity on an existing table rewrites it under ACCESS EXCLUSIVE.",
  help: "Add the column without the default, then SET DEFAULT for new rows and backfill existing rows in batches.",
  check(statement) {
    const { effects } = statement;
    return existingTableCommands(statement)
      .filter((c) => c.subtype === "AT_AddColumn" && c.rewrite)
      .map((c) => ({
        message: `adding column ${c.column} to existing table ${effects.target} rewrites the whole table under an ACCESS EXCLUSIVE lock (${c.reason})`,
        ...commandRange(statement, c),
      }));
  },
});
