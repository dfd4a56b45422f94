import type { DropStmt } from "libpg-query";
import { nodeBody } from "../../sql/ast.js";
import { defineRule } from "../rule.js";
import { lockOn, lockPhrase } from "./statement-facts.js";

export default defineRule({
  id: "drop-index-non-concurrent",
  category: "lock",
  defaultSeverity: "error",
  description: "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the index's table.",
  help: "Use DROP INDEX CONCURRENTLY, outside a transaction (safemigrate plan/up do this for you).",
  check(statement) {
    const drop = nodeBody<DropStmt>(statement.sql.ast ?? undefined, "DropStmt");
    if (drop?.removeType !== "OBJECT_INDEX" || statement.effects.concurrent) return [];
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
