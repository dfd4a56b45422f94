import { defineRule } from "../rule.js";
import { cliName, newCommand } from "./new-command.js";

export default defineRule({
  id: "rename-column",
  category: "compat",
  defaultSeverity: "error",
  description: "RENAME COLUMN breaks the application version still running, which uses the old name.",
  help: "Add a new column, dual-write and backfill it, move the code over, then drop the old column in the contract phase.",
  check(statement) {
    const { renamed, compat } = statement.effects;
    if (statement.phase !== "expand" || renamed?.kind !== "column" || compat !== "contract") return [];
    return [
      {
        message: `renaming column ${renamed.table}.${renamed.from} to ${renamed.to} breaks the running application version, which still uses the old name`,
        help: `A new column kept equal to the old one by a trigger, backfilled in batches, the old one dropped in the contract phase: ${newCommand(`rename ${renamed.table} ${renamed.from}`, ["--rename-column", cliName(renamed.table, renamed.from), cliName(renamed.to)])} writes it.`,
      },
    ];
  },
});
