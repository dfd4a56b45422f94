import { defineRule } from "../rule.js";

export default defineRule({
  id: "drop-column",
  category: "compat",
  defaultSeverity: "error",
  description:
    "DROP COLUMN in the expand phase breaks the application version still running, which uses the column.",
  help: "Stop using the column in code first, then drop it under -- safemigrate:contract (after the new code is deployed).",
  check(statement) {
    if (statement.phase !== "expand") return [];
    const table = statement.effects.target;
    return statement.effects.commands
      .filter((c) => c.subtype === "AT_DropColumn" && c.compat === "contract")
      .map((c) => ({
        message: `dropping column ${table}.${c.column} in the expand phase breaks the running application version, which still reads or writes it`,
      }));
  },
});
