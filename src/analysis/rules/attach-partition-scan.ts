import { defineRule, type RuleReport } from "../rule.js";
import { lockOn, lockPhrase, partitionName } from "./statement-facts.js";

export default defineRule({
  id: "attach-partition-scan",
  category: "rewrite",
  defaultSeverity: "warning",
  description:
    "ATTACH PARTITION without a validated CHECK constraint on the partition scans it under ACCESS EXCLUSIVE.",
  help: "Add a CHECK matching the partition bound NOT VALID, VALIDATE it in a separate transaction, then ATTACH PARTITION (and drop the CHECK afterwards if you like).",
  check(statement) {
    const { effects } = statement;
    if (effects.kind !== "AlterTableStmt") return [];
    const reports: RuleReport[] = [];
    for (const command of effects.commands) {
      // The model clears `scan` when a validated CHECK proves the bound or the partition is new.
      if (command.subtype !== "AT_AttachPartition" || !command.scan) continue;
      const partition = partitionName(command);
      const lock = lockOn(statement, partition);
      const held = lock ? lockPhrase(lock.mode, partition) : `a lock on ${partition}`;
      reports.push({
        message: `ATTACH PARTITION ${partition} to ${effects.target} scans every row of ${partition} against its bound while holding ${held}, since no validated CHECK constraint on ${partition} is known`,
      });
    }
    return reports;
  },
});
