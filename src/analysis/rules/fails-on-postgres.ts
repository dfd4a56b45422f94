import { defineRule } from "../rule.js";

/**
 * Reported by plan, which runs each statement on a shadow Postgres; lint never touches a database, so the
 * check finds nothing. It is in the catalogue so that `explain`, severity settings and docs know it.
 */
export default defineRule({
  id: "fails-on-postgres",
  category: "syntax",
  defaultSeverity: "error",
  description:
    "A statement Postgres rejects when plan runs it on the shadow (after the earlier migrations): up would stop there.",
  help: "Fix the statement so that Postgres accepts it; plan names the file, line and column and Postgres's message.",
  check: () => [],
});
