import { defineRule } from "../rule.js";
import { ROUTINE_DROPS } from "./drop-function.js";

export default defineRule({
  id: "drop-table",
  category: "compat",
  defaultSeverity: "error",
  description:
    "DROP TABLE / VIEW / MATERIALIZED VIEW / SCHEMA / TYPE (and sequence, domain) of an existing object in the expand phase, unless the same transaction creates the view, type or domain again.",
  help: "Stop using the object in code first, then drop it under -- safemigrate:contract.",
  check(statement) {
    const { effects } = statement;
    if (statement.phase !== "expand" || effects.kind !== "DropStmt" || effects.dropsInUse.length === 0)
      return [];
    if (ROUTINE_DROPS.has(effects.action)) return [];
    const what = effects.action.replace(/^DROP /, "").toLowerCase();
    return [
      {
        message: `dropping ${what} ${effects.dropsInUse.join(", ")} in the expand phase breaks the running application version, which still uses it`,
      },
    ];
  },
});
