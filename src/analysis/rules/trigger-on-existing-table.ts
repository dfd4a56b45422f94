import { defineRule, existingTarget } from "../rule.js";
import { lockOn, lockPhrase, partitionsPhrase } from "./statement-facts.js";

export default defineRule({
  id: "trigger-on-existing-table",
  category: "lock",
  defaultSeverity: "warning",
  description:
    "CREATE TRIGGER on an existing table takes SHARE ROW EXCLUSIVE: INSERT, UPDATE and DELETE wait until the transaction commits (reads continue), and it queues behind any open write.",
  help: "Create the trigger in its own short transaction with lock_timeout set (plan/up set it), and make its function cheap: it runs on every write of running code.",
  check(statement) {
    const { effects } = statement;
    if (effects.kind !== "CreateTrigStmt" || !existingTarget(statement)) return [];
    const lock = lockOn(statement, effects.target);
    if (!lock) return [];
    return [
      {
        message: `CREATE TRIGGER takes ${lockPhrase(lock.mode, effects.target ?? "")}${partitionsPhrase(statement)} until the transaction commits; reads continue, and from then on its function runs on every write of running code`,
      },
    ];
  },
});
