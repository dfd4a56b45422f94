import { NOT_VALID_FOREIGN_KEY_ON_PARTITIONED } from "../partition-routes.js";
import { defineRule, type RuleReport } from "../rule.js";

/**
 * Mostly reported by plan, which runs each statement on a shadow Postgres. Lint reports what it knows
 * without a database: statements the target major rejects though a newer one (PGlite is Postgres 18)
 * accepts them, so that the embedded shadow cannot hide them.
 */
export default defineRule({
  id: "fails-on-postgres",
  category: "syntax",
  defaultSeverity: "error",
  description:
    "A statement Postgres rejects: found by plan on the shadow, or known from the target version; up would stop there.",
  help: "Fix the statement so that Postgres accepts it; plan names the file, line and column and Postgres's message.",
  check(statement, { pgVersion }) {
    const tree = statement.effects.partitioned;
    if (!tree || pgVersion >= NOT_VALID_FOREIGN_KEY_ON_PARTITIONED) return [];
    const reports: RuleReport[] = [];
    for (const command of statement.effects.commands) {
      const { constraint } = command;
      if (
        command.subtype !== "AT_AddConstraint" ||
        constraint?.kind !== "foreign-key" ||
        !constraint.notValid
      )
        continue;
      reports.push({
        message: `Postgres ${pgVersion} rejects a NOT VALID foreign key on partitioned table ${tree.table} ("cannot add NOT VALID foreign key on partitioned table"; accepted from Postgres ${NOT_VALID_FOREIGN_KEY_ON_PARTITIONED}): write it without NOT VALID, and plan/up add it NOT VALID and validate it on each partition, then on ${tree.table}`,
      });
    }
    return reports;
  },
});
