import { defineRule } from "../rule.js";
import { lockOn, lockPhrase } from "./statement-facts.js";

export default defineRule({
  id: "drop-index-non-concurrent",
  category: "lock",
  defaultSeverity: "error",
  description: "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the index's table.",
  help: "Use DROP INDEX CONCURRENTLY, outside a transaction (safemigrate plan/up do this for you).",
  check(statement) {
    const { kind, objectKind, concurrent } = statement.effects;
    if (kind !== "DropStmt" || objectKind !== "index" || concurrent) return [];
    // An index created earlier in this migration is not used by any running query yet.
    const indexes = statement.effects.drops.filter((index) => lockOn(statement, index)?.existing);
    const first = indexes[0];
    if (first === undefined) return [];
    const { target } = statement.effects;
    const lock = lockOn(statement, target) ?? lockOn(statement, first);
    const phrase = lockPhrase(lock?.mode ?? "AccessExclusiveLock", target ?? "its table");
    return [{ message: `DROP INDEX ${indexes.join(", ")} takes ${phrase} until the transaction ends` }];
  },
});
