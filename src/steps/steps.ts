/**
 * A migration phase as steps: the unit of execution, retry and resumption. Consecutive statements of one
 * transaction group (the Analyzer's grouping: the file's implicit transaction, or its explicit BEGIN ...
 * COMMIT block) form one transactional step; a statement that cannot run in a transaction is a step of its
 * own. Explicit BEGIN/COMMIT/ROLLBACK statements are dropped: the runner opens and commits the transactions
 * itself (a ROLLBACK sent inside them would end one early, and the statements after it would run, and be
 * recorded, without it). A BEGIN ... ROLLBACK block has no effect, so its statements are not run at all
 * (running them would only take their locks).
 * With `-- safemigrate:no-transaction` (or the owning tool's equivalent) every statement is its own step,
 * committed on its own, as the tool would run it in autocommit mode. A statement after
 * `-- safemigrate:no-rewrite` runs as written, as with `--no-rewrite` for that statement alone. A
 * `-- safemigrate:backfill` directive is a step of its own where it stands (kind `backfill`).
 */
import type { AnalyzedBackfill, AnalyzedFile } from "../analysis/analyze.js";
import { blocks, lockStrength, worstBlocks } from "../analysis/locks.js";
import type { AnalyzedStatement } from "../analysis/model.js";
import { updateSql } from "../sql/backfill.js";
import type { Phase } from "../sql/directives.js";
import { SourceText } from "../sql/source.js";
import type { Piece } from "./piece.js";
import { pieceAction } from "./piece-action.js";
import { ownTransaction } from "./rewrite-own-transaction.js";
import { asWritten, rewriteStatement } from "./rewrites.js";
import type { Step, StepLock, StepOrigin } from "./step.js";

export interface BuildOptions {
  /** Apply the safe rewrites (the default in `plan` and `up`; off with `--no-rewrite`). */
  rewrite: boolean;
  phase: Phase;
  /** The server's major version: some rewrites need a recent one. */
  pgVersion: number;
}

interface Draft {
  step: Step;
  group: number;
  /** No further statement may join (it ran alone, or the next must start after a commit). */
  closed: boolean;
}

export function buildSteps(file: AnalyzedFile, options: BuildOptions): Step[] {
  const source = new SourceText(file.migration.file.text);
  const { pgVersion } = options;
  const drafts: Draft[] = [];
  const asWrittenOnly = new Set(file.directives.noRewrites.map((d) => d.statementIndex));
  const backfills = file.backfills.filter((b) => b.phase === options.phase);
  // A backfill is a step of its own where it stands: nothing joins it.
  const backfillsBefore = (offset: number) => {
    while (backfills.length > 0 && (backfills[0] as AnalyzedBackfill).directive.start < offset) {
      const backfill = backfills.shift() as AnalyzedBackfill;
      drafts.push({ step: backfillStep(backfill, source), group: -1, closed: true });
    }
  };
  for (const statement of file.statements) {
    backfillsBefore(statement.sql.start);
    if (statement.phase !== options.phase || isTransactionBoundary(statement) || isRolledBack(statement))
      continue;
    const position = source.position(statement.sql.start);
    const rewrite = options.rewrite && !asWrittenOnly.has(statement.sql.index);
    for (const piece of piecesOf(statement, rewrite, pgVersion)) {
      const origin = originOf(statement, position, piece);
      const open = drafts.at(-1);
      const joins =
        open !== undefined &&
        !open.closed &&
        !piece.alone &&
        open.step.transactional &&
        open.group === statement.transaction.id;
      if (joins) append(open.step, piece, origin);
      else
        drafts.push({
          step: newStep(piece, options.phase, origin),
          group: statement.transaction.id,
          closed: false,
        });
      const current = drafts.at(-1) as Draft;
      if (piece.alone) current.closed = true;
    }
  }
  backfillsBefore(Number.POSITIVE_INFINITY);
  return drafts.map((d) => d.step);
}

/**
 * Each batch takes ROW EXCLUSIVE on the table (as any UPDATE: it blocks no reads or writes, only the row
 * locks of its own batch, for one short transaction).
 */
function backfillStep({ directive, phase, existing }: AnalyzedBackfill, source: SourceText): Step {
  const { line, column } = source.position(directive.start);
  const locks: StepLock[] = [
    {
      relation: directive.relation,
      mode: "RowExclusiveLock",
      existing,
      blocks: existing ? blocks("RowExclusiveLock") : "nothing",
    },
  ];
  return {
    kind: "backfill",
    statements: [updateSql(directive.tableSql, directive.set, directive.where)],
    transactional: true,
    phase,
    locks,
    blocks: worstBlocks(locks.map((l) => l.blocks)),
    rewrite: false,
    scan: false,
    rewrittenFrom: null,
    line,
    column,
    resolves: [],
    // The directive comment stands for the statement: findings about the step point at it.
    origins: [{ line, column, start: directive.start, end: directive.end, action: "backfill", resolves: [] }],
    backfill: directive,
  };
}

/** BEGIN / COMMIT / END / ROLLBACK (not SAVEPOINT, which works inside the runner's transaction). */
function isTransactionBoundary(statement: AnalyzedStatement): boolean {
  const control = statement.effects.transactionControl;
  return control === "begin" || control === "commit" || control === "rollback";
}

/** A statement of an explicit BEGIN ... ROLLBACK block. */
function isRolledBack(statement: AnalyzedStatement): boolean {
  const { explicit, statements } = statement.transaction;
  return explicit && statements.at(-1)?.effects.transactionControl === "rollback";
}

function piecesOf(statement: AnalyzedStatement, rewrite: boolean, pgVersion: number): Piece[] {
  const pieces = (rewrite && rewriteStatement(statement, pgVersion)) || [asWritten(statement)];
  ownTransaction(statement, pieces, rewrite);
  return pieces;
}

function originOf(
  statement: AnalyzedStatement,
  { line, column }: { line: number; column: number },
  piece: Piece,
): StepOrigin {
  return {
    line,
    column,
    start: statement.sql.start,
    end: statement.sql.end,
    action: pieceAction(piece.effects),
    resolves: [...piece.resolves],
  };
}

/** A lock on a relation this migration created blocks nobody: no application uses it yet. */
function locksOf(piece: Piece): StepLock[] {
  return piece.effects.locks.map((l) => ({ ...l, blocks: l.existing ? blocks(l.mode) : "nothing" }));
}

function newStep(piece: Piece, phase: Phase, origin: StepOrigin): Step {
  const locks = locksOf(piece);
  const step: Step = {
    kind: piece.kind,
    statements: [piece.sql],
    transactional: piece.effects.transactional,
    phase,
    locks,
    blocks: worstBlocks(locks.map((l) => l.blocks)),
    rewrite: piece.effects.rewrites.length > 0,
    scan: piece.effects.scans.length > 0,
    rewrittenFrom: piece.rewrittenFrom,
    line: origin.line,
    column: origin.column,
    resolves: [...piece.resolves],
    origins: [origin],
  };
  if (piece.index) step.index = piece.index;
  if (piece.guard) step.guard = piece.guard;
  return step;
}

function append(step: Step, piece: Piece, origin: StepOrigin): void {
  step.statements.push(piece.sql);
  step.origins?.push(origin);
  for (const lock of locksOf(piece)) {
    const held = step.locks.find((l) => l.relation === lock.relation);
    if (!held) step.locks.push(lock);
    else if (lockStrength(lock.mode) > lockStrength(held.mode)) Object.assign(held, lock);
  }
  step.blocks = worstBlocks(step.locks.map((l) => l.blocks));
  step.rewrite ||= piece.effects.rewrites.length > 0;
  step.scan ||= piece.effects.scans.length > 0;
  if (piece.rewrittenFrom && step.rewrittenFrom !== piece.rewrittenFrom) {
    step.rewrittenFrom = step.rewrittenFrom
      ? `${step.rewrittenFrom};\n${piece.rewrittenFrom}`
      : piece.rewrittenFrom;
  }
  for (const rule of piece.resolves) if (!step.resolves.includes(rule)) step.resolves.push(rule);
}
