import type { CommandEffects, TransactionGroup } from "../model.js";
import { defineRule, existingTableCommands, type RuleReport } from "../rule.js";
import { lockPhrase } from "./statement-facts.js";
import { perGroup } from "./transactions.js";

/**
 * The first ADD CONSTRAINT of each table and constraint name in a transaction group (key: table, NUL,
 * name), found once per group: a transaction with many VALIDATEs stays linear.
 */
const addedConstraints = perGroup((group: TransactionGroup): Map<string, CommandEffects> => {
  const added = new Map<string, CommandEffects>();
  for (const s of group.statements) {
    if (s.effects.target === null) continue;
    for (const c of s.effects.commands) {
      if (c.subtype !== "AT_AddConstraint" || !c.constraint || c.constraint.name === null) continue;
      const key = `${s.effects.target}\u0000${c.constraint.name}`;
      if (!added.has(key)) added.set(key, c);
    }
  }
  return added;
});

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
      const added = addedConstraints(statement.transaction).get(`${table}\u0000${name}`);
      const lock = added ? `, ${lockPhrase(added.mode, table)},` : ` on ${table}`;
      reports.push({
        message: `VALIDATE CONSTRAINT ${name} runs in the transaction that added it NOT VALID, so the lock the ADD took${lock} is held through the full validation scan`,
      });
    }
    return reports;
  },
});
