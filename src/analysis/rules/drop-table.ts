import type { DropStmt } from "libpg-query";
import { nodeBody } from "../../sql/ast.js";
import { defineRule } from "../rule.js";
import { ROUTINE_DROPS } from "./drop-function.js";

export default defineRule({
  id: "drop-table",
  category: "compat",
  defaultSeverity: "error",
  description:
    "DROP TABLE / VIEW / MATERIALIZED VIEW / SCHEMA / TYPE (and sequence, domain) of an existing object in the expand phase, unless the same transaction creates the view, type or domain again.",
  help: "Stop using the object in code first, then drop it under -- safemigrate:contract.",
  check(statement) {
    const { effects } = statement;
    if (statement.phase !== "expand" || effects.kind !== "DropStmt" || effects.dropsInUse.length === 0)
      return [];
    if (ROUTINE_DROPS.has(effects.action)) return [];
    const what = effects.action.replace(/^DROP /, "").toLowerCase();
    // The objects named come first in `drops`, then the views CASCADE drops with them.
    const named = effects.drops.slice(
      0,
      nodeBody<DropStmt>(statement.sql.ast ?? undefined, "DropStmt")?.objects?.length,
    );
    const direct = effects.dropsInUse.filter((d) => named.includes(d));
    const cascaded = effects.dropsInUse.filter((d) => !named.includes(d));
    const views = cascaded.length > 0 ? `view${cascaded.length > 1 ? "s" : ""} ${cascaded.join(", ")}` : "";
    const message =
      direct.length > 0
        ? `dropping ${what} ${direct.join(", ")}${views ? ` (and, through CASCADE, ${views})` : ""} in the expand phase breaks the running application version, which still uses it`
        : `dropping ${what} ${named.join(", ")} with CASCADE also drops ${views}, not created again; in the expand phase that breaks the running application version, which still uses ${cascaded.length > 1 ? "them" : "it"}`;
    return [{ message }];
  },
});
