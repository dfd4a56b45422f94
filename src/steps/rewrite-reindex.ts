/** The safe rewrite of REINDEX. */
import type { ReindexStmt } from "libpg-query";
import type { AnalyzedStatement } from "../analysis/model.js";
import { nodeBody } from "../sql/ast.js";
import { cloneTree } from "./deparse.js";
import type { PieceDraft } from "./piece.js";

/**
 * REINDEX INDEX | TABLE | SCHEMA | DATABASE: CONCURRENTLY (the parenthesised option needs Postgres 14). A
 * `CONCURRENTLY false` in the option list is replaced, not overridden.
 */
export function rewriteReindex(
  stmt: ReindexStmt,
  statement: AnalyzedStatement,
  pgVersion: number,
): PieceDraft[] | null {
  const kind = (stmt.kind ?? "").replace("REINDEX_OBJECT_", "");
  if (pgVersion < 14 || kind === "SYSTEM" || statement.effects.concurrent) return null;
  if (statement.effects.noConcurrentForm) return null;
  const concurrent = cloneTree(stmt);
  const others = (stmt.params ?? []).filter(
    (p) => nodeBody<{ defname?: string }>(p, "DefElem")?.defname?.toLowerCase() !== "concurrently",
  );
  concurrent.params = [...others, { DefElem: { defname: "concurrently" } }];
  return [{ ast: { ReindexStmt: concurrent }, alone: true, resolves: ["reindex-non-concurrent"] }];
}
