/** The safe rewrite of CREATE INDEX on an existing table. */
import type { IndexStmt } from "libpg-query";
import type { AnalyzedStatement } from "../analysis/model.js";
import { existingTarget } from "../analysis/rule.js";
import { cloneTree } from "./deparse.js";
import { defaultIndexName } from "./pg-names.js";
import type { PieceDraft } from "./piece.js";

/** CREATE [UNIQUE] INDEX on an existing table: CONCURRENTLY, outside a transaction, under its own name. */
export function rewriteCreateIndex(stmt: IndexStmt, statement: AnalyzedStatement): PieceDraft[] | null {
  if (statement.effects.concurrent || !existingTarget(statement)) return null;
  const concurrent = cloneTree(stmt);
  concurrent.concurrent = true;
  concurrent.idxname = stmt.idxname ?? defaultIndexName(stmt);
  return [
    {
      ast: { IndexStmt: concurrent },
      alone: true,
      resolves: ["create-index-non-concurrent"],
    },
  ];
}
