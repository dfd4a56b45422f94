import type { RenameStmt } from "libpg-query";
import { nodeBody } from "../../sql/ast.js";
import { defineRule } from "../rule.js";

const KINDS: Record<string, string> = {
  OBJECT_VIEW: "view",
  OBJECT_MATVIEW: "materialized view",
  OBJECT_SEQUENCE: "sequence",
  OBJECT_FOREIGN_TABLE: "foreign table",
};

export default defineRule({
  id: "rename-table",
  category: "compat",
  defaultSeverity: "error",
  description:
    "ALTER TABLE ... RENAME TO (or renaming a view or sequence) breaks the application version still running.",
  help: "Create the new table (or an updatable view under the old name) for the transition; drop the old name in the contract phase.",
  check(statement) {
    const { renamed, compat } = statement.effects;
    if (statement.phase !== "expand" || renamed?.kind !== "table" || compat !== "contract") return [];
    const type = nodeBody<RenameStmt>(statement.sql.ast ?? undefined, "RenameStmt")?.renameType ?? "";
    return [
      {
        message: `renaming ${KINDS[type] ?? "table"} ${renamed.from} to ${renamed.to} breaks the running application version, which still uses the old name`,
      },
    ];
  },
});
