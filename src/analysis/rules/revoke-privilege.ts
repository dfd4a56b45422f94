import { defineRule } from "../rule.js";

export default defineRule({
  id: "revoke-privilege",
  category: "compat",
  defaultSeverity: "error",
  description:
    "REVOKE of a privilege on an existing object, or of a role membership: running code that relies on it fails with `permission denied`.",
  help: "Revoke in the contract phase, once no running version uses the privilege; or grant the replacement first and revoke later.",
  check(statement) {
    const change = statement.effects.privilegeChange;
    if (statement.phase !== "expand" || !change?.revoke || change.existing.length === 0) return [];
    const what = change.privileges.join(", ");
    const from = change.grantees.join(", ");
    const on =
      change.objectKind === "role"
        ? `membership in ${change.existing.join(", ")}`
        : `${what} on ${change.objectKind} ${change.existing.join(", ")}`;
    return [
      {
        message: `REVOKE of ${on} from ${from}: running code that uses it fails with "permission denied" from the moment this commits`,
      },
    ];
  },
});
