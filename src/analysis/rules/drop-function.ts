import { defineRule } from "../rule.js";

/** The DROP statements of routines, by the model's action label. */
export const ROUTINE_DROPS = new Set(["DROP FUNCTION", "DROP PROCEDURE", "DROP ROUTINE"]);

export default defineRule({
  id: "drop-function",
  category: "compat",
  defaultSeverity: "error",
  description:
    "DROP FUNCTION / PROCEDURE / ROUTINE of an existing routine in the expand phase, unless the same transaction creates it again with the same argument types.",
  help: "Stop calling the routine (in code, triggers, defaults and views) first, then drop it under -- safemigrate:contract; to change its body, use CREATE OR REPLACE.",
  // Reported as drop-table before it had an id of its own: ignores and settings for that id still apply.
  aliases: ["drop-table"],
  check(statement) {
    const { effects } = statement;
    if (statement.phase !== "expand" || !ROUTINE_DROPS.has(effects.action)) return [];
    if (effects.dropsInUse.length === 0) return [];
    const what = effects.action.replace(/^DROP /, "").toLowerCase();
    return [
      {
        message: `dropping ${what} ${effects.dropsInUse.join(", ")} in the expand phase breaks the running application version, which still calls it`,
      },
    ];
  },
});
