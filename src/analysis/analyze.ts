import type { CallStmt } from "libpg-query";
import { UsageError } from "../errors.js";
import type { Migration } from "../migrations/migration.js";
import { dottedName, nodeBody } from "../sql/ast.js";
import type { BackfillDirective } from "../sql/backfill.js";
import { type FileDirectives, type Phase, phaseAt, readDirectives } from "../sql/directives.js";
import { type ParsedSql, parseSql, type SqlStatement } from "../sql/parse.js";
import { plpgsqlControlsTransaction } from "../sql/plpgsql.js";
import { SourceText } from "../sql/source.js";
import { SchemaContext } from "./context.js";
import {
  type DoBlockContents,
  doBlockContents,
  type ProcedureBody,
  procedureBody,
  procedureContents,
} from "./do-blocks.js";
import { addLock, worstCompat } from "./effects/base.js";
import { describeStatement } from "./effects/index.js";
import type {
  AnalyzedMigration,
  AnalyzedStatement,
  CatalogPartitionedTable,
  StatementEffects,
  TransactionGroup,
} from "./model.js";
import { createdView, forgiveRecreatedDrops, type ViewColumns } from "./recreated.js";

export interface AnalyzedFile extends AnalyzedMigration {
  parsed: ParsedSql;
  directives: FileDirectives;
  /** The backfill directives, each a step of its own between the statements around it. */
  backfills: AnalyzedBackfill[];
}

export interface AnalyzedBackfill {
  directive: BackfillDirective;
  phase: Phase;
  /** The table was not created by this migration (it may hold data and serve traffic). */
  existing: boolean;
}

/** The phase of the text at `offset`: its section's; all of a down part is the rollback (it has no markers). */
export function phaseOf(migration: Migration, directives: FileDirectives, offset: number): Phase {
  return migration.file.rollback ? "rollback" : phaseAt(directives, offset);
}

/**
 * Walks a migration set in order and describes every statement with the schema context of the
 * moment, grouping statements into the transactions they will run in.
 */
export class Analyzer {
  readonly context: SchemaContext;
  private nextTransaction = 1;
  /** The output columns of every view created so far (a DROP does not forget them). */
  private readonly viewColumns = new Map<string, string[] | null>();

  constructor(pgVersion: number, partitions: CatalogPartitionedTable[] = []) {
    this.context = new SchemaContext(pgVersion, partitions);
  }

  analyze(migration: Migration): AnalyzedFile {
    const parsed = parseSql(migration.file.upText);
    const directives = readDirectives(parsed.comments, parsed.statements);
    const malformed = directives.malformed[0];
    if (malformed) throw inputError(migration, malformed.index, malformed.message);
    const noTransaction = directives.noTransaction || migration.file.noTransaction;
    const analyzed: AnalyzedFile = {
      migration,
      statements: [],
      explicitPhases: directives.phaseMarkers.length > 0,
      noTransaction,
      parsed,
      directives,
      backfills: [],
    };
    const pending = [...directives.backfills];
    // A backfill commits batch by batch where it stands: the transaction before it ends there.
    const backfillsBefore = (offset: number, open: TransactionGroup | null) => {
      while (pending.length > 0 && (pending[0] as BackfillDirective).start < offset) {
        const directive = pending.shift() as BackfillDirective;
        if (open?.explicit)
          throw inputError(
            migration,
            directive.start,
            "backfill: cannot run inside BEGIN ... COMMIT (it commits each batch); move it after the COMMIT",
          );
        analyzed.backfills.push({
          directive,
          phase: phaseOf(migration, directives, directive.start),
          existing: this.context.isExisting(directive.relation),
        });
      }
    };
    this.context.beginMigration();
    // The views as they were before this migration: only the entries it changes are kept aside (a copy of
    // the whole map for every file made long histories with many views quadratic).
    const replaced = new Map<string, string[] | null | undefined>();
    const viewsBefore: ViewColumns = {
      get: (name) => (replaced.has(name) ? replaced.get(name) : this.viewColumns.get(name)),
    };
    // PL/pgSQL procedures this migration creates, by name: a CALL of one runs its body's statements.
    const procedures = new Map<string, ProcedureBody>();
    let open: TransactionGroup | null = null;
    for (const sql of parsed.statements) {
      const before = analyzed.backfills.length;
      backfillsBefore(sql.start, open);
      if (analyzed.backfills.length > before) open = null;
      const phase = phaseOf(migration, directives, sql.start);
      if (open && !open.explicit && open.statements[0]?.phase !== phase) open = null;
      const transactionId = open && (open.explicit || !noTransaction) ? open.id : this.nextTransaction;
      const effects = describeStatement(sql.ast, this.context, transactionId);
      const procedure = procedureBody(sql, migration.file.upText);
      if (procedure) procedures.set(procedure.name, procedure);
      const called = calledProcedure(sql, procedures);
      if (called) describeCall(effects, called);
      const control = effects.transactionControl;
      let group: TransactionGroup;
      if (control === "begin") {
        group = this.newGroup(true);
        open = group;
      } else if (open?.explicit) {
        group = open;
        if (control === "commit" || control === "rollback") open = null;
      } else if (!effects.transactional || noTransaction) {
        group = this.newGroup(false);
        open = null;
      } else {
        open ??= this.newGroup(false);
        group = open;
      }
      const statement: AnalyzedStatement = { sql, migration, effects, phase, transaction: group };
      if (effects.kind === "DoStmt") this.readBlock(statement, doBlockContents(sql, migration.file.upText));
      if (called) this.readBlock(statement, procedureContents(called, sql, migration.file.upText));
      group.statements.push(statement);
      analyzed.statements.push(statement);
      this.context.apply(effects, group.id);
      const view = createdView(sql.ast ?? undefined);
      if (view) {
        if (!replaced.has(view.name)) replaced.set(view.name, this.viewColumns.get(view.name));
        this.viewColumns.set(view.name, view.columns);
      }
    }
    backfillsBefore(Number.POSITIVE_INFINITY, open);
    for (const group of new Set(analyzed.statements.map((s) => s.transaction)))
      forgiveRecreatedDrops(group, viewsBefore);
    return analyzed;
  }

  /**
   * Describes the statements of a DO block (or of the procedure a CALL runs) in order (each one sees what the earlier ones did to the
   * schema context) and makes the block's locks, rewrites, scans and compatibility theirs together, so that
   * plan and up see them. Whether the block can run in a transaction stays the block's own: a statement
   * that cannot (VACUUM, CONCURRENTLY) cannot run inside a DO block either.
   */
  private readBlock(statement: AnalyzedStatement, contents: DoBlockContents): void {
    const { effects, transaction } = statement;
    if (contents.unread) effects.unmodelled = contents.unread;
    statement.inner = contents.statements.map((sql) => {
      const inner = describeStatement(sql.ast, this.context, transaction.id);
      this.context.apply(inner, transaction.id);
      for (const lock of inner.locks) addLock(effects, this.context, lock.relation, lock.mode);
      for (const r of inner.rewrites) if (!effects.rewrites.includes(r)) effects.rewrites.push(r);
      for (const r of inner.scans) if (!effects.scans.includes(r)) effects.scans.push(r);
      effects.indexes.push(...inner.indexes);
      // An index built on a table the block itself created holds no data: not an index build to report.
      effects.buildsIndex ||=
        inner.buildsIndex && inner.locks.some((l) => l.relation === inner.target && l.existing);
      effects.compat = worstCompat(effects.compat, inner.compat);
      const { migration, phase } = statement;
      return { sql, migration, effects: inner, phase, transaction, within: statement };
    });
    statement.dynamic = contents.dynamic;
  }

  private newGroup(explicit: boolean): TransactionGroup {
    return { id: this.nextTransaction++, explicit, statements: [] };
  }
}

/** Bad input in a migration file: one line naming the file, line and column (exit 2). */
function inputError(migration: Migration, index: number, message: string): UsageError {
  const { line, column } = new SourceText(migration.file.text).position(index);
  return new UsageError(`${migration.file.path}:${line}:${column}: ${message}`);
}

/** The procedure created earlier in the migration that this statement CALLs, if it is one. */
function calledProcedure(sql: SqlStatement, procedures: Map<string, ProcedureBody>): ProcedureBody | null {
  const call = nodeBody<CallStmt>(sql.ast ?? undefined, "CallStmt");
  return call ? (procedures.get(dottedName(call.funccall?.funcname)) ?? null) : null;
}

/**
 * A CALL of a procedure whose body this migration wrote is described by that body: a procedure that
 * commits or rolls back (a batched backfill) cannot run inside a transaction block, as a DO block cannot.
 */
function describeCall(effects: StatementEffects, procedure: ProcedureBody): void {
  effects.action = `CALL ${procedure.name}`;
  delete effects.unmodelled;
  if (procedure.language === "plpgsql" && procedure.body !== undefined)
    effects.transactional = plpgsqlControlsTransaction(procedure.body) !== true;
}
