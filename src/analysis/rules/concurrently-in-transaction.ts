import type { LayoutName } from "../../migrations/migration.js";
import { defineRule } from "../rule.js";
import { wrappedByTool } from "./transactions.js";

/** How each tool that wraps files in a transaction lets one file opt out (docs/layouts.md). */
const OPT_OUT: Partial<Record<LayoutName, string>> = {
  flyway: "executeInTransaction=false in the file's .sql.conf",
  goose: "-- +goose NO TRANSACTION",
  dbmate: "-- migrate:up transaction:false",
  diesel: "run_in_transaction = false in metadata.toml",
  pop: "an .autocommit. file name",
  "node-pg-migrate": "-- no transaction in the file's opening comments",
  "graphile-migrate": "--! no-transaction as the first line after the headers",
  atlas: "-- atlas:txmode none in the file's header, followed by an empty line",
  sqitch: "no BEGIN; ... COMMIT; around the script",
};

/** Tools that give a file no way out of their transaction. */
const NO_OPT_OUT: Partial<Record<LayoutName, string>> = {
  "drizzle-kit": "drizzle's migrator runs all pending files in one transaction, with no opt-out",
};

export default defineRule({
  id: "concurrently-in-transaction",
  category: "tx",
  defaultSeverity: "error",
  description:
    "A CONCURRENTLY statement inside a transaction block or a DO block, where Postgres rejects it.",
  help: "Run the CONCURRENTLY statement on its own, outside any transaction: no BEGIN around it, and opt the file out of the migration tool's transaction.",
  check(statement, { file }) {
    const { effects, transaction, migration } = statement;
    if (effects.transactional || !effects.concurrent) return [];
    const label = effects.kind === "AlterTableStmt" ? "DETACH PARTITION" : effects.action;
    // Postgres: "CREATE INDEX CONCURRENTLY cannot be executed from a function".
    if (statement.within)
      return [
        {
          message: `${label} CONCURRENTLY is inside a ${statement.within.effects.kind === "DoStmt" ? "DO block" : "procedure"}, which runs as a function, where Postgres rejects it`,
        },
      ];
    if (transaction.explicit) {
      const begin = transaction.statements[0]?.sql.start ?? 0;
      const line = migration.file.text.slice(0, begin).split("\n").length;
      return [
        {
          message: `${label} CONCURRENTLY is inside the transaction block opened by BEGIN on line ${line}, where Postgres rejects it`,
        },
      ];
    }
    if (!wrappedByTool(file)) return [];
    const optOut = OPT_OUT[migration.layout];
    const none = NO_OPT_OUT[migration.layout];
    const how = optOut ? ` (opt the file out with ${optOut})` : none ? ` (${none})` : "";
    return [
      {
        message: `${label} CONCURRENTLY is in a file that ${migration.layout} runs inside one transaction, where Postgres rejects it${how}`,
      },
    ];
  },
});
