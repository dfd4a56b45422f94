import { defineRule, existingTableCommands } from "../rule.js";

export default defineRule({
  id: "enable-rls-without-policy",
  category: "compat",
  defaultSeverity: "error",
  description:
    "ENABLE ROW LEVEL SECURITY on an existing table with no policy: every role that is not the owner and has no BYPASSRLS sees no rows and cannot write any.",
  help: "Create the policies in the same transaction as ENABLE ROW LEVEL SECURITY (or before it), so that running code never sees the table without one.",
  check(statement) {
    const table = statement.effects.target;
    const enables = existingTableCommands(statement).some(
      (c) => c.subtype === "AT_EnableRowSecurity" && !c.policyKnown,
    );
    if (!enables || !table) return [];
    // A policy created anywhere in the same transaction is there when the change becomes visible.
    const policyInTransaction = statement.transaction.statements.some(
      (s) => s.effects.kind === "CreatePolicyStmt" && s.effects.target === table,
    );
    if (policyInTransaction) return [];
    return [
      {
        message: `ENABLE ROW LEVEL SECURITY on existing table ${table}, with no CREATE POLICY for it in this transaction or an earlier migration: queries of running code (unless it connects as the owner or a BYPASSRLS role) return no rows and its writes fail`,
      },
    ];
  },
});
