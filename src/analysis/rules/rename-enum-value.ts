import { dottedName } from "../../sql/ast.js";
import { defineRule } from "../rule.js";

export default defineRule({
  id: "rename-enum-value",
  category: "compat",
  defaultSeverity: "error",
  description:
    "ALTER TYPE ... RENAME VALUE of an existing enum: running code that writes or compares the old label fails (`invalid input value for enum`).",
  help: "Add the new value (ADD VALUE), move the code and the rows over, and stop using the old label; an enum value cannot be dropped, so consider a lookup table.",
  check(statement) {
    const { effects, sql } = statement;
    if (statement.phase !== "expand" || effects.kind !== "AlterEnumStmt" || effects.compat !== "contract")
      return [];
    const stmt = (sql.ast as { AlterEnumStmt?: { typeName?: []; oldVal?: string; newVal?: string } })
      .AlterEnumStmt;
    if (!stmt?.oldVal) return [];
    return [
      {
        message: `renaming value '${stmt.oldVal}' of enum ${dottedName(stmt.typeName)} to '${stmt.newVal ?? ""}' breaks running code that writes or compares '${stmt.oldVal}': Postgres rejects it as an invalid input value from the moment this commits`,
      },
    ];
  },
});
