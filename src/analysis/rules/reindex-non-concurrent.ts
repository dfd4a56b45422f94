import type { ReindexStmt } from "libpg-query";
import { nodeBody, relationName } from "../../sql/ast.js";
import { defineRule } from "../rule.js";
import { lockOn, lockPhrase } from "./statement-facts.js";

export default defineRule({
  id: "reindex-non-concurrent",
  category: "lock",
  defaultSeverity: "error",
  description:
    "REINDEX without CONCURRENTLY blocks writes to the table and queries that use the index being rebuilt.",
  help: "Use REINDEX ... CONCURRENTLY (Postgres 12+) outside a transaction; before 12, build a replacement index concurrently and drop the old one.",
  check(statement, { pgVersion }) {
    const reindex = nodeBody<ReindexStmt>(statement.sql.ast ?? undefined, "ReindexStmt");
    if (!reindex || statement.effects.concurrent) return [];
    const { effects } = statement;
    // Rebuilding only what this migration created touches no data and no running query.
    if (effects.locks.length > 0 && effects.locks.every((l) => !l.existing)) return [];
    const kind = reindex.kind?.replace("REINDEX_OBJECT_", "");
    const name = reindex.relation ? relationName(reindex.relation) : reindex.name;
    const what = name ? `${effects.action} ${name}` : effects.action;
    const table = lockOn(statement, effects.target);
    const blocked = table
      ? `takes ${lockPhrase(table.mode, table.relation)} and locks out queries that use the index being rebuilt`
      : kind === "INDEX"
        ? "blocks writes to its table and queries that use the index"
        : "blocks writes to each of its tables and queries that use the index being rebuilt";
    const note = effects.noConcurrentForm
      ? ` (no concurrent form: ${effects.noConcurrentForm})`
      : kind === "SYSTEM"
        ? " (REINDEX SYSTEM has no concurrent form)"
        : pgVersion < 12
          ? " (REINDEX CONCURRENTLY needs Postgres 12: build a replacement index concurrently instead)"
          : "";
    return [{ message: `${what} ${blocked} until the rebuild ends${note}` }];
  },
});
