/**
 * Statements that must run outside the transaction they were written in: a CONCURRENTLY statement of an
 * explicit BEGIN ... COMMIT block runs on its own (inside it, Postgres refuses it), even with the rewrites
 * off; with them on, an added enum value is committed before anything uses it, and a VALIDATE of a
 * constraint added NOT VALID just before runs after that commit.
 */
import type { AnalyzedStatement } from "../analysis/model.js";
import type { Piece } from "./piece.js";

export function ownTransaction(statement: AnalyzedStatement, pieces: Piece[], rewrite: boolean): void {
  if (rewrite) isolate(statement, pieces);
  const explicit = statement.transaction.explicit;
  for (const piece of pieces) {
    // Run on its own, a CONCURRENTLY statement from an explicit transaction block no longer fails.
    if (explicit && !piece.effects.transactional)
      piece.resolves = [...piece.resolves, "concurrently-in-transaction"];
  }
}

/** A statement written in a transaction that needs one of its own: after a commit, and alone. */
function isolate(statement: AnalyzedStatement, pieces: Piece[]): void {
  const { effects } = statement;
  const reason = effects.enumValueAdded
    ? "enum-value-in-transaction"
    : effects.commands.some((c) => c.validatesConstraintAddedInSameTransaction)
      ? "validate-in-same-transaction"
      : null;
  if (!reason || pieces.length !== 1) return;
  const piece = pieces[0] as Piece;
  piece.alone = true;
  piece.resolves = [...piece.resolves, reason];
}
