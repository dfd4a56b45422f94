import { defineRule, existingTableCommands, type RuleReport } from "../rule.js";
import { lockPhrase, partitionsPhrase } from "./statement-facts.js";

export default defineRule({
  id: "set-not-null-full-scan",
  category: "rewrite",
  defaultSeverity: "error",
  description:
    "SET NOT NULL on an existing table scans every row under ACCESS EXCLUSIVE unless a validated CHECK (col IS NOT NULL) proves it.",
  help: "ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT c (separate transaction); SET NOT NULL (no scan on PG12+); DROP CONSTRAINT c.",
  check(statement, { pgVersion }) {
    const { effects } = statement;
    const table = effects.target as string;
    const reports: RuleReport[] = [];
    for (const command of existingTableCommands(statement)) {
      if (command.subtype !== "AT_SetNotNull" || command.notNullProvenByCheck) continue;
      const column = command.column ?? "";
      const why =
        pgVersion < 12
          ? `Postgres ${pgVersion} cannot use a CHECK constraint to skip the scan (12 and later can)`
          : `no CHECK (${column} IS NOT NULL) made valid by an earlier statement proves it`;
      reports.push({
        message: `SET NOT NULL on ${table}.${column} scans every row while holding ${lockPhrase(command.mode, table)}${partitionsPhrase(statement)}, because ${why}`,
      });
    }
    return reports;
  },
});
