import { stringConstants } from "../../sql/ast.js";
import type { AnalyzedMigration, AnalyzedStatement } from "../model.js";
import { defineRule, type RuleReport } from "../rule.js";
import { perGroup, toolName, wrappedByTool } from "./transactions.js";

/** Before Postgres 12: ADD VALUE inside any transaction block fails. */
function addedInTransaction(statement: AnalyzedStatement, file: AnalyzedMigration): RuleReport[] {
  const added = statement.effects.enumValueAdded;
  if (!added) return [];
  const where = statement.transaction.explicit
    ? "an explicit transaction block"
    : wrappedByTool(file)
      ? `the transaction ${toolName(statement.migration)} runs this file in`
      : null;
  if (!where) return [];
  return [
    {
      message: `ALTER TYPE ${added.type} ADD VALUE '${added.value}' runs inside ${where}, which Postgres rejects before version 12`,
    },
  ];
}

/**
 * Postgres 12+: the new value cannot be used before the transaction that added it commits. Only the
 * first use after each ADD VALUE is reported: Postgres stops there. One pass over the group, each
 * statement's constants read once: a transaction of thousands of statements with many ADD VALUEs stays
 * linear.
 */
const firstUses = perGroup((group) => {
  const reports = new Map<AnalyzedStatement, RuleReport[]>();
  /** Values added earlier and not used yet, with the indexes of the statements that added them. */
  const pending = new Map<string, number[]>();
  group.statements.forEach((statement, index) => {
    if (pending.size > 0) {
      const users: number[] = [];
      for (const value of new Set(stringConstants(statement.sql.ast))) {
        const adders = pending.get(value);
        if (!adders) continue;
        users.push(...adders);
        pending.delete(value);
      }
      // In the order of the ADD VALUE statements, as they are reported.
      for (const i of users.sort((a, b) => a - b)) {
        const added = group.statements[i]?.effects.enumValueAdded;
        if (!added) continue;
        reports.set(statement, [
          ...(reports.get(statement) ?? []),
          {
            message: `enum value '${added.value}' is used in the same transaction that adds it to ${added.type}, which Postgres rejects as an unsafe use of a new enum value`,
          },
        ]);
      }
    }
    const added = statement.effects.enumValueAdded;
    if (added) pending.set(added.value, [...(pending.get(added.value) ?? []), index]);
  });
  return reports;
});

function usedInSameTransaction(statement: AnalyzedStatement): RuleReport[] {
  return firstUses(statement.transaction).get(statement) ?? [];
}

export default defineRule({
  id: "enum-value-in-transaction",
  category: "tx",
  defaultSeverity: "error",
  description:
    "An enum value added with ALTER TYPE ... ADD VALUE and used in the same transaction (before Postgres 12: any ADD VALUE in a transaction).",
  help: "Add the enum value in its own migration, committed before any statement uses it.",
  check(statement, context) {
    return context.pgVersion < 12
      ? addedInTransaction(statement, context.file)
      : usedInSameTransaction(statement);
  },
});
