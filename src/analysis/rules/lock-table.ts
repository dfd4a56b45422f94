import { defineRule } from "../rule.js";
import { aLock, blockedTraffic } from "./statement-facts.js";

export default defineRule({
  id: "lock-table",
  category: "lock",
  defaultSeverity: "error",
  description:
    "An explicit LOCK TABLE (ACCESS EXCLUSIVE by default) holds its lock until the transaction ends.",
  help: "Drop the LOCK TABLE: let each statement take the lock it needs, with lock_timeout set.",
  check(statement) {
    const { effects } = statement;
    if (effects.kind !== "LockStmt") return [];
    const existing = effects.locks.filter((l) => l.existing);
    const [first] = existing;
    if (!first) return [];
    const tables = existing.map((l) => l.relation).join(", ");
    return [
      {
        message: `LOCK TABLE takes ${aLock(first.mode)} on ${tables} and holds it until the transaction ends, blocking ${blockedTraffic(first.mode).replace("nothing", "other DDL")} meanwhile`,
      },
    ];
  },
});
