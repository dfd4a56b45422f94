/**
 * What a non-transactional index statement needs from the executor to be safe to repeat, read from its
 * parse tree: the same for a statement as written (`CREATE INDEX CONCURRENTLY` in the file) and for one a
 * safe rewrite produced. Only statements that cannot run in a transaction get a role, so an index
 * statement here is always the CONCURRENTLY form.
 */
import type { DropStmt, IndexStmt, Node, ReindexStmt } from "libpg-query";
import { nodeBody, stringList } from "../sql/ast.js";
import type { IndexGuard, StepKind } from "./step.js";

export interface StepRole {
  kind: StepKind;
  index?: { name: string; schema: string | null };
  guard?: IndexGuard;
}

export function stepRole(ast: Node | null, transactional: boolean): StepRole {
  const plain: StepRole = { kind: transactional ? "sql" : "concurrent" };
  if (!ast || transactional) return plain;
  const create = nodeBody<IndexStmt>(ast, "IndexStmt");
  if (create?.idxname) {
    return {
      kind: "create-index-concurrently",
      index: { name: create.idxname, schema: create.relation?.schemaname ?? null },
    };
  }
  const drop = nodeBody<DropStmt>(ast, "DropStmt");
  if (drop?.removeType === "OBJECT_INDEX" && drop.objects?.length === 1) {
    const parts = stringList(nodeBody<{ items?: Node[] }>(drop.objects[0], "List")?.items);
    const name = parts.at(-1);
    if (name)
      return { kind: "concurrent", guard: "drop-index", index: { name, schema: parts.at(-2) ?? null } };
  }
  const reindex = nodeBody<ReindexStmt>(ast, "ReindexStmt");
  if (reindex?.kind === "REINDEX_OBJECT_INDEX" && reindex.relation?.relname) {
    const name = reindex.relation.relname;
    return {
      kind: "concurrent",
      guard: "reindex-index",
      index: { name, schema: reindex.relation.schemaname ?? null },
    };
  }
  return plain;
}
