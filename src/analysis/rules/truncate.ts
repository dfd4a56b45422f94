import { defineRule } from "../rule.js";

export default defineRule({
  id: "truncate",
  category: "compat",
  defaultSeverity: "error",
  description: "TRUNCATE of an existing table deletes every row, under an ACCESS EXCLUSIVE lock.",
  help: "If the data loss is intended, say so with -- safemigrate:ignore truncate -- <reason>.",
  check(statement) {
    const { effects } = statement;
    if (effects.kind !== "TruncateStmt") return [];
    const tables = effects.locks.filter((l) => l.existing).map((l) => l.relation);
    if (tables.length === 0) return [];
    const names = `${tables.length > 1 ? "tables" : "table"} ${tables.join(", ")}`;
    return [
      {
        message: `TRUNCATE deletes every row of existing ${names} and holds an ACCESS EXCLUSIVE lock that blocks reads and writes until commit`,
      },
    ];
  },
});
