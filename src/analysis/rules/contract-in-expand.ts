import { defineRule } from "../rule.js";

export default defineRule({
  id: "contract-in-expand",
  category: "compat",
  defaultSeverity: "error",
  description:
    "A contract change (drop, rename, narrowing type change, new required column...) in the expand part of a file that uses phase markers.",
  help: "Move the statement under -- safemigrate:contract, so it runs after the new code is deployed.",
  check(statement, { file }) {
    const { effects } = statement;
    if (!file.explicitPhases || statement.phase !== "expand" || effects.compat !== "contract") return [];
    const on = effects.target ? ` on ${effects.target}` : "";
    return [
      {
        message: `${effects.action}${on} breaks the running application version, yet it is in the expand phase of a file with phase markers`,
      },
    ];
  },
});
