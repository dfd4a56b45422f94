import { UsageError } from "../errors.js";
import type { Migration } from "../migrations/migration.js";
import type { BackfillDirective } from "../sql/backfill.js";
import { type FileDirectives, type Phase, phaseAt, readDirectives } from "../sql/directives.js";
import { type ParsedSql, parseSql } from "../sql/parse.js";
import { SourceText } from "../sql/source.js";
import { SchemaContext } from "./context.js";
import { describeStatement } from "./effects/index.js";
import type {
  AnalyzedMigration,
  AnalyzedStatement,
  CatalogPartitionedTable,
  TransactionGroup,
} from "./model.js";
import { createdView, forgiveRecreatedDrops } from "./recreated.js";

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
    const viewsBefore = new Map(this.viewColumns);
    let open: TransactionGroup | null = null;
    for (const sql of parsed.statements) {
      const before = analyzed.backfills.length;
      backfillsBefore(sql.start, open);
      if (analyzed.backfills.length > before) open = null;
      const phase = phaseOf(migration, directives, sql.start);
      if (open && !open.explicit && open.statements[0]?.phase !== phase) open = null;
      const transactionId = open && (open.explicit || !noTransaction) ? open.id : this.nextTransaction;
      const effects = describeStatement(sql.ast, this.context, transactionId);
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
      group.statements.push(statement);
      analyzed.statements.push(statement);
      this.context.apply(effects, group.id);
      const view = createdView(sql.ast ?? undefined);
      if (view) this.viewColumns.set(view.name, view.columns);
    }
    backfillsBefore(Number.POSITIVE_INFINITY, open);
    for (const group of new Set(analyzed.statements.map((s) => s.transaction)))
      forgiveRecreatedDrops(group, viewsBefore);
    return analyzed;
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
