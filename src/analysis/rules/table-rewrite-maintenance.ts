import type { AnalyzedStatement } from "../model.js";
import { defineRule, type RuleReport } from "../rule.js";

/** ALTER TABLE sub-commands that copy the whole table into new files. */
const MAINTENANCE_COMMANDS: Record<string, string> = {
  AT_SetTableSpace: "SET TABLESPACE",
  AT_SetLogged: "SET LOGGED",
  AT_SetUnLogged: "SET UNLOGGED",
  AT_SetAccessMethod: "SET ACCESS METHOD",
};

const LOCKED = "under an ACCESS EXCLUSIVE lock that blocks reads and writes until it finishes";

function report(statement: AnalyzedStatement): RuleReport[] {
  const { effects } = statement;
  switch (effects.kind) {
    case "VacuumStmt":
    case "ClusterStmt":
      if (effects.rewrites.length > 0)
        return [
          { message: `${effects.action} rewrites existing table ${effects.rewrites.join(", ")} ${LOCKED}` },
        ];
      // Without a table: VACUUM FULL rewrites every table, CLUSTER every table clustered before.
      if (
        effects.locks.length === 0 &&
        (effects.action === "VACUUM FULL" || effects.kind === "ClusterStmt")
      ) {
        const which = effects.kind === "ClusterStmt" ? "previously clustered table" : "table in the database";
        return [{ message: `${effects.action} without a table rewrites every ${which}, each ${LOCKED}` }];
      }
      return [];
    case "AlterTableStmt": {
      const object = effects.objectKind ?? "table";
      return effects.commands
        .filter((c) => c.rewrite && MAINTENANCE_COMMANDS[c.subtype])
        .map((c) => ({
          message: `${MAINTENANCE_COMMANDS[c.subtype]} rewrites existing ${object} ${effects.target} ${LOCKED}`,
        }));
    }
    default:
      return [];
  }
}

export default defineRule({
  id: "table-rewrite-maintenance",
  category: "rewrite",
  defaultSeverity: "error",
  description:
    "VACUUM FULL, CLUSTER, ALTER TABLE SET TABLESPACE / SET LOGGED / SET UNLOGGED / SET ACCESS METHOD rewrite an existing table under ACCESS EXCLUSIVE.",
  help: "Do table maintenance outside migrations, with online tooling such as pg_repack or pg_squeeze.",
  check: report,
});
