import { stringConstants } from "../../sql/ast.js";
import type { AnalyzedMigration, AnalyzedStatement } from "../model.js";
import { defineRule, type RuleReport } from "../rule.js";
import { perGroup, toolName, wrappedByTool } from "./transactions.js";

const uses = (statement: AnalyzedStatement, value: string) =>
  stringConstants(statement.sql.ast).includes(value);

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
 * first use after each ADD VALUE is reported: Postgres stops there.
 */
const firstUses = perGroup((group) => {
  const reports = new Map<AnalyzedStatement, RuleReport[]>();
  group.statements.forEach((adding, i) => {
    const added = adding.effects.enumValueAdded;
    if (!added) return;
    const user = group.statements.slice(i + 1).find((s) => uses(s, added.value));
    if (!user) return;
    reports.set(user, [
      ...(reports.get(user) ?? []),
      {
        message: `enum value '${added.value}' is used in the same transaction that adds it to ${added.type}, which Postgres rejects as an unsafe use of a new enum value`,
      },
    ]);
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
