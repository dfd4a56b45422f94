import { defineRule } from "../rule.js";

export default defineRule({
  id: "drop-table",
  category: "compat",
  defaultSeverity: "error",
  description:
    "DROP TABLE / VIEW / MATERIALIZED VIEW / SCHEMA / TYPE / FUNCTION (and sequence, domain, procedure) of an existing object in the expand phase.",
  help: "Stop using the object in code first, then drop it under -- safemigrate:contract.",
  check(statement) {
    const { effects } = statement;
    if (statement.phase !== "expand" || effects.kind !== "DropStmt" || effects.compat !== "contract")
      return [];
    const what = effects.action.replace(/^DROP /, "").toLowerCase();
    return [
      {
        message: `dropping ${what} ${effects.drops.join(", ")} in the expand phase breaks the running application version, which still uses it`,
      },
    ];
  },
});
