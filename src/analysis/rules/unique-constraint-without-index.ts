import { defineRule, existingTableCommands, type RuleReport } from "../rule.js";
import { lockPhrase, partitionRouteNote, partitionsPhrase } from "./statement-facts.js";

const PARTITION_ROUTE =
  "plan/up add it ONLY to the parent, build each partition's unique index CONCURRENTLY, add the partition's constraint USING INDEX and ATTACH it";

export default defineRule({
  id: "unique-constraint-without-index",
  category: "lock",
  defaultSeverity: "error",
  description:
    "A UNIQUE or PRIMARY KEY constraint added to an existing table without USING INDEX builds its index under ACCESS EXCLUSIVE.",
  help: "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE / PRIMARY KEY USING INDEX (for a primary key, make the columns NOT NULL first, or Postgres scans the table).",
  check(statement) {
    const { effects } = statement;
    const table = effects.target as string;
    const reports: RuleReport[] = [];
    const partitioned = partitionsPhrase(statement) + partitionRouteNote(statement, PARTITION_ROUTE);
    for (const command of existingTableCommands(statement)) {
      // ONLY on a partitioned table builds nothing: an INVALID index on the parent alone.
      if (!command.buildsIndex) continue;
      const lock = lockPhrase(command.mode, table) + partitioned;
      const { constraint, addColumn } = command;
      if (command.subtype === "AT_AddConstraint" && constraint && !constraint.usingIndex) {
        const kind =
          constraint.kind === "unique" ? "UNIQUE" : constraint.kind === "primary-key" ? "PRIMARY KEY" : null;
        if (!kind) continue;
        const name = constraint.name ? ` ${constraint.name}` : "";
        reports.push({
          message: `${kind} constraint${name} builds its index on ${table} while holding ${lock}`,
        });
      }
      if (command.subtype === "AT_AddColumn" && (addColumn?.unique || addColumn?.primaryKey)) {
        const kind = addColumn.primaryKey ? "PRIMARY KEY" : "UNIQUE";
        reports.push({
          message: `ADD COLUMN ${command.column} ${kind} builds its index on ${table} while holding ${lock}`,
        });
      }
    }
    return reports;
  },
});
