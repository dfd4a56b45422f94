/**
 * Safe rewrites: a statement that would block traffic becomes a sequence of statements with the same end
 * state that does not (CONCURRENTLY builds, NOT VALID then VALIDATE, the CHECK route to NOT NULL). Whether
 * to rewrite comes from the statement model (the target existed, CONCURRENTLY, the kind of object, the
 * table is partitioned); the parse tree gives the statement's kind and is what each rewrite edits. New
 * statements are edited parse trees, printed by ./deparse.ts. One file per rewrite (rewrite-*.ts,
 * partition-*.ts), each with its tests beside it.
 */
import type { DropStmt, IndexStmt, ReindexStmt } from "libpg-query";
import type { AnalyzedStatement } from "../analysis/model.js";
import { nodeBody } from "../sql/ast.js";
import { DeparseMismatch } from "./deparse.js";
import { describePieces } from "./describe-pieces.js";
import { stepRole } from "./index-guards.js";
import { rewritePartitionedAlter } from "./partition-constraints.js";
import { rewritePartitionedIndex } from "./partition-index.js";
import type { Piece, PieceDraft } from "./piece.js";
import { rewriteAlterTable } from "./rewrite-alter.js";
import { rewriteCreateIndex } from "./rewrite-create-index.js";
import { rewriteDropIndex } from "./rewrite-drop-index.js";
import { rewriteReindex } from "./rewrite-reindex.js";

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
