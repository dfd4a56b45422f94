/**
 * Rewritten statements get their locks, scans and rewrites from the same statement model as everything
 * else: each is printed, parsed again and described, in order, with a schema context that has seen the
 * pieces before it (so the SET NOT NULL after a validated CHECK is known not to scan).
 */
import { SchemaContext } from "../analysis/context.js";
import { emptyEffects } from "../analysis/effects/base.js";
import { describeStatement } from "../analysis/effects/index.js";
import type { AnalyzedStatement } from "../analysis/model.js";
import { parseSql } from "../sql/parse.js";
import { printStatement } from "./deparse.js";
import { stepRole } from "./index-guards.js";
import type { Piece, PieceDraft } from "./piece.js";

/**
 * A context that knows what the analyser knew about the original statement's relations: which table an
 * index it names belongs to (DROP INDEX and REINDEX INDEX lock the table through the index).
 */
function contextFor(original: AnalyzedStatement, pgVersion: number): SchemaContext {
  const context = new SchemaContext(pgVersion);
  for (const { index, table } of original.effects.indexes) {
    if (!table) continue;
    const seed = emptyEffects("IndexStmt", "CREATE INDEX", table);
    seed.creates.push(index);
    context.apply(seed, 0);
  }
  // The pieces of a partitioned table's route lock and scan its partitions as the statement did.
  if (original.effects.partitioned) context.knowPartitions(original.effects.partitioned);
  context.beginMigration();
  return context;
}

export function describePieces(
  drafts: PieceDraft[],
  original: AnalyzedStatement,
  pgVersion: number,
): Piece[] {
  const context = contextFor(original, pgVersion);
  let transaction = 1;
  let previousAlone = false;
  return drafts.map((draft, i) => {
    // A new transaction starts at each piece that runs alone and after one that did.
    if (i > 0 && (draft.alone || previousAlone)) transaction++;
    previousAlone = draft.alone;
    const sql = printStatement(draft.ast);
    const parsed = parseSql(sql, false).statements[0];
    const effects = describeStatement(parsed?.ast ?? null, context, transaction);
    context.apply(effects, transaction);
    return {
      sql,
      effects,
      alone: draft.alone || !effects.transactional,
      ...stepRole(parsed?.ast ?? null, effects.transactional),
      rewrittenFrom: original.sql.text,
      resolves: draft.resolves,
    };
  });
}
