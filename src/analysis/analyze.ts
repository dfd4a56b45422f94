import type { Migration } from "../migrations/migration.js";
import { type FileDirectives, type Phase, phaseAt, readDirectives } from "../sql/directives.js";
import { type ParsedSql, parseSql } from "../sql/parse.js";
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
    const noTransaction = directives.noTransaction || migration.file.noTransaction;
    const analyzed: AnalyzedFile = {
      migration,
      statements: [],
      explicitPhases: directives.phaseMarkers.length > 0,
      noTransaction,
      parsed,
      directives,
    };
    this.context.beginMigration();
    const viewsBefore = new Map(this.viewColumns);
    let open: TransactionGroup | null = null;
    for (const sql of parsed.statements) {
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
    for (const group of new Set(analyzed.statements.map((s) => s.transaction)))
      forgiveRecreatedDrops(group, viewsBefore);
    return analyzed;
  }

  private newGroup(explicit: boolean): TransactionGroup {
    return { id: this.nextTransaction++, explicit, statements: [] };
  }
}
