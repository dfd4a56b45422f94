import { defineRule, existingTableCommands, type RuleReport } from "../rule.js";
import { lockPhrase, partitionsPhrase } from "./statement-facts.js";

export default defineRule({
  id: "exclusion-constraint",
  category: "lock",
  defaultSeverity: "warning",
  description:
    "An EXCLUDE constraint added to an existing table builds its index under ACCESS EXCLUSIVE; no concurrent form exists.",
  help: "Create a new table with the constraint and backfill it, or accept a maintenance window.",
  check(statement) {
    const { effects } = statement;
    const table = effects.target as string;
    const reports: RuleReport[] = [];
    for (const command of existingTableCommands(statement)) {
      const { constraint } = command;
      if (command.subtype !== "AT_AddConstraint" || constraint?.kind !== "exclusion") continue;
      const name = constraint.name ? ` ${constraint.name}` : "";
      reports.push({
        message: `EXCLUDE constraint${name} builds its index on ${table} while holding ${lockPhrase(command.mode, table)}${partitionsPhrase(statement)}, and has no concurrent form${effects.partitioned ? " (nor a route through the partitions: no safe route exists)" : ""}`,
      });
    }
    return reports;
  },
});
