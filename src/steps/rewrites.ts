/**
 * Safe rewrites: a statement that would block traffic becomes a sequence of statements with the same end
 * state that does not (CONCURRENTLY builds, NOT VALID then VALIDATE, the CHECK route to NOT NULL). Whether
 * to rewrite comes from the statement model (the target existed, the table is partitioned) and from the
 * statement's parse tree (its kind and its CONCURRENTLY flag); new statements are edited parse trees,
 * printed by ./deparse.ts.
 */
import type { DropStmt, IndexStmt, ReindexStmt } from "libpg-query";
import type { AnalyzedStatement } from "../analysis/model.js";
import { existingTarget } from "../analysis/rule.js";
import { nodeBody } from "../sql/ast.js";
import { cloneTree, DeparseMismatch } from "./deparse.js";
import { describePieces } from "./describe-pieces.js";
import { stepRole } from "./index-guards.js";
import { rewritePartitionedAlter } from "./partition-constraints.js";
import { rewritePartitionedIndex } from "./partition-index.js";
import { defaultIndexName } from "./pg-names.js";
import type { Piece, PieceDraft } from "./piece.js";
import { rewriteAlterTable } from "./rewrite-alter.js";

/** The statement as written: one piece, alone when it cannot run in a transaction. */
export function asWritten(statement: AnalyzedStatement): Piece {
  return {
    sql: statement.sql.text,
    effects: statement.effects,
    alone: !statement.effects.transactional,
    ...stepRole(statement.sql.ast, statement.effects.transactional),
    rewrittenFrom: null,
    resolves: [],
  };
}

/**
 * The safe form of a statement, or null when it is safe as written or no rewrite exists. A rewrite whose
 * printed SQL would not round-trip through the parser is dropped (null): the statement then runs as written
 * and the lint gate decides about it.
 */
export function rewriteStatement(statement: AnalyzedStatement, pgVersion: number): Piece[] | null {
  const drafts = draftsFor(statement, pgVersion);
  if (!drafts) return null;
  try {
    return describePieces(drafts, statement, pgVersion);
  } catch (error) {
    if (error instanceof DeparseMismatch) return null;
    throw error;
  }
}

function draftsFor(statement: AnalyzedStatement, pgVersion: number): PieceDraft[] | null {
  const { ast } = statement.sql;
  if (!ast) return null;
  const index = nodeBody<IndexStmt>(ast, "IndexStmt");
  // A partitioned table (or ON ONLY one, which builds nothing) takes the route through its partitions.
  if (index && (statement.effects.partitioned || !statement.effects.buildsIndex))
    return rewritePartitionedIndex(index, statement);
  if (index) return rewriteCreateIndex(index, statement);
  const drop = nodeBody<DropStmt>(ast, "DropStmt");
  if (drop) return rewriteDropIndex(drop, statement);
  const reindex = nodeBody<ReindexStmt>(ast, "ReindexStmt");
  if (reindex) return rewriteReindex(reindex, statement, pgVersion);
  if ("AlterTableStmt" in ast && statement.effects.partitioned)
    return rewritePartitionedAlter(statement, pgVersion);
  if ("AlterTableStmt" in ast) return rewriteAlterTable(statement, pgVersion);
  return null;
}

/** CREATE [UNIQUE] INDEX on an existing table: CONCURRENTLY, outside a transaction, under its own name. */
function rewriteCreateIndex(stmt: IndexStmt, statement: AnalyzedStatement): PieceDraft[] | null {
  if (stmt.concurrent || !existingTarget(statement)) return null;
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

/** DROP INDEX: CONCURRENTLY, one index per statement (the concurrent form takes one, and no CASCADE). */
function rewriteDropIndex(stmt: DropStmt, statement: AnalyzedStatement): PieceDraft[] | null {
  if (stmt.removeType !== "OBJECT_INDEX" || stmt.concurrent || stmt.behavior === "DROP_CASCADE") return null;
  if (!statement.effects.locks.some((l) => l.existing)) return null;
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

/**
 * REINDEX INDEX | TABLE | SCHEMA | DATABASE: CONCURRENTLY (the parenthesised option needs Postgres 14). A
 * `CONCURRENTLY false` in the option list is replaced, not overridden.
 */
function rewriteReindex(
  stmt: ReindexStmt,
  statement: AnalyzedStatement,
  pgVersion: number,
): PieceDraft[] | null {
  const kind = (stmt.kind ?? "").replace("REINDEX_OBJECT_", "");
  if (pgVersion < 14 || kind === "SYSTEM" || statement.effects.concurrent) return null;
  const concurrent = cloneTree(stmt);
  const others = (stmt.params ?? []).filter(
    (p) => nodeBody<{ defname?: string }>(p, "DefElem")?.defname?.toLowerCase() !== "concurrently",
  );
  concurrent.params = [...others, { DefElem: { defname: "concurrently" } }];
  return [{ ast: { ReindexStmt: concurrent }, alone: true, resolves: ["reindex-non-concurrent"] }];
}
