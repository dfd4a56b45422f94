import { defineRule, existingTableCommands, type RuleReport } from "../rule.js";
import { lockPhrase } from "./statement-facts.js";

export default defineRule({
  id: "validate-in-same-transaction",
  category: "rewrite",
  defaultSeverity: "error",
  description:
    "VALIDATE CONSTRAINT in the same transaction as its ADD ... NOT VALID holds the ADD's strong lock through the validation scan.",
  help: "Commit after ADD CONSTRAINT ... NOT VALID and run VALIDATE CONSTRAINT in a separate transaction (or the next migration).",
  check(statement) {
    const { effects } = statement;
    const table = effects.target as string;
    const reports: RuleReport[] = [];
    for (const command of existingTableCommands(statement)) {
      if (!command.validatesConstraintAddedInSameTransaction) continue;
      const name = command.ast.name ?? "";
      const added = statement.transaction.statements
        .filter((s) => s.effects.target === table)
        .flatMap((s) => s.effects.commands)
        .find((c) => c.subtype === "AT_AddConstraint" && c.constraint?.name === name);
      const lock = added ? `, ${lockPhrase(added.mode, table)},` : ` on ${table}`;
      reports.push({
        message: `VALIDATE CONSTRAINT ${name} runs in the transaction that added it NOT VALID, so the lock the ADD took${lock} is held through the full validation scan`,
      });
    }
    return reports;
  },
});
