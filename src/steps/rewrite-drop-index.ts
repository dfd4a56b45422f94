/** The safe rewrite of DROP INDEX. */
import type { DropStmt } from "libpg-query";
import type { AnalyzedStatement } from "../analysis/model.js";
import type { PieceDraft } from "./piece.js";

/** DROP INDEX: CONCURRENTLY, one index per statement (the concurrent form takes one, and no CASCADE). */
export function rewriteDropIndex(stmt: DropStmt, statement: AnalyzedStatement): PieceDraft[] | null {
  const { objectKind, concurrent, locks } = statement.effects;
  if (objectKind !== "index" || concurrent || stmt.behavior === "DROP_CASCADE") return null;
  if (!locks.some((l) => l.existing)) return null;
  return (stmt.objects ?? []).map((object) => ({
    ast: {
      DropStmt: {
        objects: [object],
        removeType: "OBJECT_INDEX",
        behavior: "DROP_RESTRICT",
        missing_ok: stmt.missing_ok === true,
        concurrent: true,
      },
    },
    alone: true,
    resolves: ["drop-index-non-concurrent"],
  }));
}
