import type { ReplicaIdentityStmt } from "libpg-query";
import { nodeBody } from "../../sql/ast.js";
import { defineRule, existingTableCommands } from "../rule.js";

export default defineRule({
  id: "replica-identity-full",
  category: "style",
  defaultSeverity: "warning",
  description:
    "REPLICA IDENTITY FULL on an existing table: every UPDATE and DELETE then writes the whole old row to the WAL, and logical subscribers without a usable index scan the table for each changed row.",
  help: "Give the table a primary key (the default identity) or use REPLICA IDENTITY USING INDEX on a unique index over NOT NULL columns.",
  check(statement) {
    const full = existingTableCommands(statement).some(
      (c) =>
        c.subtype === "AT_ReplicaIdentity" &&
        nodeBody<ReplicaIdentityStmt>(c.ast.def, "ReplicaIdentityStmt")?.identity_type === "f",
    );
    if (!full) return [];
    return [
      {
        message: `REPLICA IDENTITY FULL on existing table ${statement.effects.target} (under an ACCESS EXCLUSIVE lock): from then on every UPDATE and DELETE WAL-logs the whole old row, and a logical replica without a usable index reads the whole table for each changed row`,
      },
    ];
  },
});
