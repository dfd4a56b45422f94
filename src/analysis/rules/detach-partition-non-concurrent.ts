import { defineRule, existingTableCommands, type RuleReport } from "../rule.js";
import { lockPhrase, partitionName, partitionOf } from "./statement-facts.js";

export default defineRule({
  id: "detach-partition-non-concurrent",
  category: "lock",
  defaultSeverity: "error",
  description:
    "DETACH PARTITION without CONCURRENTLY takes ACCESS EXCLUSIVE on the partitioned table (checked on Postgres 14+, where CONCURRENTLY exists).",
  help: "Use ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY (Postgres 14+), outside a transaction.",
  check(statement, { pgVersion }) {
    const { effects } = statement;
    // Before Postgres 14 there is no concurrent form to recommend.
    if (pgVersion < 14) return [];
    const table = effects.target as string;
    const reports: RuleReport[] = [];
    for (const command of existingTableCommands(statement)) {
      if (command.subtype !== "AT_DetachPartition" || partitionOf(command)?.concurrent) continue;
      reports.push({
        message: `DETACH PARTITION ${partitionName(command)} from ${table} takes ${lockPhrase(command.mode, table)} until the transaction ends`,
      });
    }
    return reports;
  },
});
