import { defineRule, existingTarget } from "../rule.js";

export default defineRule({
  id: "create-index-non-concurrent",
  category: "lock",
  defaultSeverity: "error",
  description: "CREATE INDEX without CONCURRENTLY on an existing table blocks writes for the whole build.",
  help: "Use CREATE INDEX CONCURRENTLY, outside a transaction (safemigrate plan/up do this for you).",
  check(statement) {
    const { effects } = statement;
    if (effects.kind !== "IndexStmt" || !effects.transactional || !existingTarget(statement)) return [];
    return [
      {
        message: `${effects.action} on existing table ${effects.target} takes a SHARE lock that blocks writes until the index is built`,
      },
    ];
  },
});
