import { NOT_VALID_FOREIGN_KEY_ON_PARTITIONED } from "../partition-routes.js";
import { defineRule, existingTableCommands, type RuleReport } from "../rule.js";
import { lockOn, lockPhrase, partitionRouteNote, partitionsPhrase } from "./statement-facts.js";

export default defineRule({
  id: "constraint-missing-not-valid",
  category: "rewrite",
  defaultSeverity: "error",
  description:
    "A FOREIGN KEY or CHECK constraint added without NOT VALID to an existing table is validated by a full scan under a lock that blocks writes.",
  help: "Add the constraint NOT VALID, then VALIDATE CONSTRAINT in a later transaction (SHARE UPDATE EXCLUSIVE: reads and writes continue).",
  check(statement, { pgVersion }) {
    const { effects } = statement;
    const partitions = partitionsPhrase(statement);
    // Before 18 Postgres rejects ADD FOREIGN KEY ... NOT VALID on a partitioned table.
    const fkRoute =
      pgVersion < NOT_VALID_FOREIGN_KEY_ON_PARTITIONED
        ? partitionRouteNote(
            statement,
            `Postgres ${pgVersion} rejects NOT VALID on a partitioned table, so plan/up add the key NOT VALID and validate it on each partition, then add it to ${effects.target}, which attaches them without a scan`,
          )
        : "";
    const table = effects.target as string;
    const reports: RuleReport[] = [];
    for (const command of existingTableCommands(statement)) {
      const { constraint, addColumn } = command;
      const tableLock = lockPhrase(command.mode, table);
      const referenced = constraint?.references ?? addColumn?.references ?? null;
      const refLock = lockOn(statement, referenced);
      const andRef =
        refLock && referenced !== table ? ` and ${lockPhrase(refLock.mode, referenced as string)}` : "";
      if (command.subtype === "AT_AddConstraint" && constraint && !constraint.notValid) {
        const name = constraint.name ? ` ${constraint.name}` : "";
        if (constraint.kind === "check")
          reports.push({
            message: `check constraint${name} scans every row of ${table} while holding ${tableLock}${partitions}`,
          });
        if (constraint.kind === "foreign-key")
          reports.push({
            message: `foreign key${name} validates every row of ${table} while holding ${tableLock}${partitions}${andRef}${fkRoute}`,
          });
      }
      // Without a default every new value is NULL and Postgres skips the check (see the model).
      if (command.subtype === "AT_AddColumn" && addColumn?.referencesValidated) {
        reports.push({
          message: `ADD COLUMN ${command.column} with a default and an inline REFERENCES ${addColumn.references} validates every row of ${table} while holding ${tableLock}${partitions}${andRef}${fkRoute}`,
        });
      }
    }
    return reports;
  },
});
