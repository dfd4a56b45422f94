import { blocks } from "../locks.js";
import { defineRule, existingTarget } from "../rule.js";

export default defineRule({
  id: "refresh-matview-blocking",
  category: "lock",
  defaultSeverity: "error",
  description:
    "REFRESH MATERIALIZED VIEW without CONCURRENTLY takes ACCESS EXCLUSIVE: reads of the view wait for the whole refresh.",
  help: "Use REFRESH MATERIALIZED VIEW CONCURRENTLY (the view needs a unique index covering all rows).",
  check(statement) {
    const { effects } = statement;
    if (effects.kind !== "RefreshMatViewStmt" || !existingTarget(statement)) return [];
    const lock = effects.locks.find((l) => l.relation === effects.target);
    if (!lock || blocks(lock.mode) !== "reads+writes") return [];
    return [
      {
        message: `REFRESH MATERIALIZED VIEW ${effects.target} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock that blocks every read of the view until the refresh finishes`,
      },
    ];
  },
});
