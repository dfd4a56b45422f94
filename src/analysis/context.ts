import type { Node, PartitionCmd } from "libpg-query";
import { type ColumnType, nodeBody, relationName, stringList, walk } from "../sql/ast.js";
import type {
  CatalogPartitionedTable,
  ConstraintInfo,
  ConstraintKind,
  PartitionTree,
  StatementEffects,
} from "./model.js";
import { PartitionRegistry } from "./partition-registry.js";

interface ColumnState {
  type: ColumnType;
  notNull: boolean;
}

interface ConstraintState {
  kind: ConstraintKind;
  checksNotNull: string | null;
  /** Foreign keys: the referenced table, which ROW SHAREs a VALIDATE and is locked by dropping the key. */
  references: string | null;
  /** Columns a foreign key covers (to recognise the same key added to a partitioned parent later). */
  columns?: string[];
  /** Transaction in which the constraint became valid; null while NOT VALID. */
  validInTransaction: number | null;
  addedInTransaction: number;
}

interface TableState {
  columns: Map<string, ColumnState>;
  constraints: Map<string, ConstraintState>;
}

/**
 * What safemigrate knows of the schema while it walks a migration set in order: the tables the set
 * created (with columns and constraints), which relations the current migration created, and which
 * index belongs to which table. Relations it has never seen are assumed to exist and hold data.
 */
export class SchemaContext {
  readonly pgVersion: number;
  private readonly tables = new Map<string, TableState>();
  private readonly indexTables = new Map<string, string>();
  /** The key columns of the indexes created by the set's statements (null for an expression). */
  private readonly indexKeys = new Map<string, Array<string | null>>();
  private createdInMigration = new Set<string>();
  /** Types, domains, functions and schemas created by the current migration, as `OBJECT_TYPE:name`. */
  private objectsCreatedInMigration = new Set<string>();
  /** The relations each known view and materialized view reads (DROP ... CASCADE drops those views). */
  private readonly viewReads = new Map<string, Set<string>>();
  private readonly partitions = new PartitionRegistry();
  /** Tables a CREATE POLICY of the set named. */
  private readonly policyTables = new Set<string>();

  /** `catalog`: the partitioned tables of the target database, when one is given. */
  constructor(pgVersion: number, catalog: CatalogPartitionedTable[] = []) {
    this.pgVersion = pgVersion;
    this.partitions.seed(catalog);
  }

  /** The table's partitions, recursively; null when it is not known to be partitioned. */
  partitionTree(table: string): PartitionTree | null {
    return this.partitions.tree(table);
  }

  /** The column is known to be NOT NULL (from the set's statements, else from the catalog). */
  isNotNull(table: string, column: string): boolean {
    return this.column(table, column)?.notNull ?? this.partitions.catalogNotNull(table, column);
  }

  /** The partitioned table `table` is a partition of, when known. */
  parentOf(table: string): string | null {
    return this.partitions.parentOf(table);
  }

  /** Seeds what another context knew of a partitioned table (the pieces of a rewrite). */
  knowPartitions(tree: PartitionTree): void {
    this.partitions.created(tree.table, tree.key);
    for (const partition of tree.partitions) {
      this.partitions.attached(tree.table, partition.table);
      if (partition.partitioned) this.knowPartitions(partition);
    }
  }

  beginMigration(): void {
    this.createdInMigration = new Set();
    this.objectsCreatedInMigration = new Set();
  }

  /** The relation was not created by the current migration, so it may hold data and serve traffic. */
  isExisting(relation: string): boolean {
    return !this.createdInMigration.has(relation);
  }

  /** Like isExisting, for a non-relation object of a DropStmt kind (`OBJECT_TYPE`, `OBJECT_FUNCTION`...). */
  isExistingObject(kind: string, name: string): boolean {
    return !this.objectsCreatedInMigration.has(`${kind}:${name}`);
  }

  /**
   * Whether every key column of index `index` (named as the model names relations) is known to be NOT NULL
   * on `table`: then ADD PRIMARY KEY USING INDEX has nothing to check.
   */
  indexKeysNotNull(index: string, table: string): boolean {
    const keys = this.indexKeys.get(index);
    return keys !== undefined && keys.length > 0 && keys.every((k) => k !== null && this.isNotNull(table, k));
  }

  tableOfIndex(index: string): string | null {
    return this.indexTables.get(index) ?? null;
  }

  /** The table whose known exclusion constraint is named `index` (its index has the constraint's name). */
  tableOfExclusionIndex(index: string): string | null {
    for (const [table, state] of this.tables) {
      if (state.constraints.get(index)?.kind === "exclusion") return table;
    }
    return null;
  }

  /** The table has a known exclusion constraint. */
  hasExclusionConstraint(table: string): boolean {
    return [...(this.tables.get(table)?.constraints.values() ?? [])].some((c) => c.kind === "exclusion");
  }

  /** A CREATE POLICY on the table was seen (policies of tables from before the set are not known). */
  hasPolicy(table: string): boolean {
    return this.policyTables.has(table);
  }

  column(table: string, column: string): ColumnState | undefined {
    return this.tables.get(table)?.columns.get(column);
  }

  /**
   * A CHECK (col IS NOT NULL) on that column is valid: added valid or validated by an earlier statement,
   * in an earlier transaction or earlier in the same one. Postgres then skips the SET NOT NULL scan (a
   * check added or validated by the same ALTER TABLE statement does not count: it scans). Nor does one the
   * same statement drops (`dropped`): Postgres drops constraints before it checks the new NOT NULLs.
   */
  hasValidatedNotNullCheck(table: string, column: string, dropped: ReadonlySet<string> = new Set()): boolean {
    for (const [name, c] of this.tables.get(table)?.constraints ?? []) {
      if (c.checksNotNull === column && c.validInTransaction !== null && !dropped.has(name)) return true;
    }
    return false;
  }

  /** Some CHECK constraint on the table is valid, made so by an earlier statement (as for NOT NULL). */
  hasValidatedCheck(table: string): boolean {
    for (const c of this.tables.get(table)?.constraints.values() ?? []) {
      if (c.kind === "check" && c.validInTransaction !== null) return true;
    }
    return false;
  }

  /** The table a known foreign key of `table` references. */
  foreignKeyTarget(table: string, name: string): string | null {
    return this.tables.get(table)?.constraints.get(name)?.references ?? null;
  }

  /**
   * The known views and materialized views that read `relation`, directly or through one another: a DROP
   * of it with CASCADE drops them too.
   */
  /** The relations a view created in this migration set reads; null for a view from before the set. */
  viewSources(view: string): string[] | null {
    const reads = this.viewReads.get(view);
    return reads ? [...reads] : null;
  }

  dependentViews(relation: string): string[] {
    const found = new Set<string>();
    const visit = (name: string) => {
      for (const [view, reads] of this.viewReads) {
        if (!reads.has(name) || found.has(view) || view === relation) continue;
        found.add(view);
        visit(view);
      }
    };
    visit(relation);
    return [...found];
  }

  /** The tables the known foreign keys of `table` reference (dropping `table` locks each of them). */
  referencedTables(table: string): string[] {
    const targets = [...(this.tables.get(table)?.constraints.values() ?? [])].map((c) => c.references);
    return [...new Set(targets.filter((t): t is string => t !== null && t !== table))];
  }

  /** A validated foreign key on `table` over `columns` to `references` (Postgres attaches it to the parent's). */
  hasValidatedForeignKey(table: string, columns: string[], references: string, transaction: number): boolean {
    for (const c of this.tables.get(table)?.constraints.values() ?? []) {
      if (c.kind !== "foreign-key" || c.references !== references || c.validInTransaction === null) continue;
      if (c.validInTransaction <= transaction && c.columns?.join() === columns.join()) return true;
    }
    return false;
  }

  constraintAddedNotValidIn(table: string, name: string, transaction: number): boolean {
    const c = this.tables.get(table)?.constraints.get(name);
    return c !== undefined && c.validInTransaction === null && c.addedInTransaction === transaction;
  }

  /** Records what a statement did, after it has been described. */
  apply(effects: StatementEffects, transaction: number): void {
    if (effects.renamed) {
      const { kind, table, from, to } = effects.renamed;
      this.rename(kind, table, from, to);
    }
    for (const created of effects.creates) this.createdInMigration.add(created);
    if (effects.createdObject) {
      const { kind, name } = effects.createdObject;
      this.objectsCreatedInMigration.add(`${kind}:${name}`);
    }
    if (effects.kind === "CreateStmt" || effects.kind === "CreateTableAsStmt") {
      if (effects.target) this.tables.set(effects.target, { columns: new Map(), constraints: new Map() });
    }
    if (effects.kind === "IndexStmt" && effects.target) {
      for (const index of effects.creates) {
        this.indexTables.set(index, effects.target);
        if (effects.indexColumns) this.indexKeys.set(index, effects.indexColumns);
      }
    }
    if (effects.kind === "ViewStmt" || effects.action === "CREATE MATERIALIZED VIEW") {
      const reads = effects.locks.filter((l) => l.mode === "AccessShareLock").map((l) => l.relation);
      if (effects.target) this.viewReads.set(effects.target, new Set(reads));
    }
    this.applyPartitioning(effects);
    if (effects.kind === "CreatePolicyStmt" && effects.target) this.policyTables.add(effects.target);
    for (const dropped of effects.drops) {
      this.viewReads.delete(dropped);
      this.partitions.dropped(dropped);
      this.tables.delete(dropped);
      this.policyTables.delete(dropped);
      this.indexTables.delete(dropped);
      this.createdInMigration.delete(dropped);
    }
    if (!effects.target || effects.commands.length === 0) return;
    // Tables from before the migration set get a state too, to track their constraints.
    const table = this.tables.get(effects.target) ?? { columns: new Map(), constraints: new Map() };
    this.tables.set(effects.target, table);
    for (const command of effects.commands) {
      const { column, constraint } = command;
      if (command.addColumn && column) {
        table.columns.set(column, { type: command.addColumn.type, notNull: command.addColumn.notNull });
      }
      if (command.typeChange && column) {
        const state = table.columns.get(column);
        table.columns.set(column, { type: command.typeChange.to, notNull: state?.notNull ?? false });
      }
      if (command.subtype === "AT_SetNotNull" && column) {
        const state = table.columns.get(column);
        if (state) state.notNull = true;
      }
      if (command.subtype === "AT_DropColumn" && column) table.columns.delete(column);
      const constraintName =
        constraint && (constraint.name ?? defaultConstraintName(effects.target, constraint));
      if (constraint && constraintName) {
        table.constraints.set(constraintName, {
          kind: constraint.kind,
          checksNotNull: constraint.checksNotNull,
          references: constraint.references,
          columns: constraint.columns,
          validInTransaction: constraint.notValid ? null : transaction,
          addedInTransaction: transaction,
        });
      }
      const name = command.ast.name;
      if (command.subtype === "AT_ValidateConstraint" && name) {
        const state = table.constraints.get(name);
        if (state) state.validInTransaction = transaction;
        // A constraint from before the migration set: known to be valid from now on.
        else
          table.constraints.set(name, {
            kind: "check",
            checksNotNull: null,
            references: null,
            validInTransaction: transaction,
            addedInTransaction: transaction,
          });
      }
      if (command.subtype === "AT_DropConstraint" && name) table.constraints.delete(name);
    }
  }

  private applyPartitioning(effects: StatementEffects): void {
    const { partitioning, target } = effects;
    if (target && partitioning?.key !== undefined) this.partitions.created(target, partitioning.key);
    if (target && partitioning?.parent) this.partitions.attached(partitioning.parent, target);
    // ALTER INDEX ... ATTACH PARTITION attaches an index, not a table.
    if (!target || !effects.action.startsWith("ALTER TABLE")) return;
    for (const { ast } of effects.commands) {
      const partition = relationName(nodeBody<PartitionCmd>(ast.def, "PartitionCmd")?.name);
      if (!partition) continue;
      if (ast.subtype === "AT_AttachPartition") this.partitions.attached(target, partition);
      // DETACH ... CONCURRENTLY detaches at once for what follows; FINALIZE completes an interrupted one.
      if (ast.subtype === "AT_DetachPartition" || ast.subtype === "AT_DetachPartitionFinalize")
        this.partitions.detached(target, partition);
    }
  }

  private rename(kind: "table" | "column", table: string, from: string, to: string): void {
    if (kind === "table") {
      this.partitions.renamed(from, to);
      if (this.policyTables.delete(from)) this.policyTables.add(to);
      const state = this.tables.get(from);
      if (state) {
        this.tables.delete(from);
        this.tables.set(to, state);
      }
      if (this.createdInMigration.delete(from)) this.createdInMigration.add(to);
      return;
    }
    const columns = this.tables.get(table)?.columns;
    const state = columns?.get(from);
    if (columns && state) {
      columns.delete(from);
      columns.set(to, state);
    }
  }
}

const DEFAULT_NAME_SUFFIX: Partial<Record<ConstraintKind, string>> = {
  check: "check",
  "foreign-key": "fkey",
  unique: "key",
  exclusion: "excl",
};

/**
 * The name Postgres gives an unnamed constraint (ChooseConstraintName), so that a later VALIDATE or
 * DROP CONSTRAINT finds it: `users_pkey`, `users_email_key`, `orders_user_id_fkey`, `users_email_check`
 * (a CHECK on exactly one column) or `users_check`. Truncation and numbering on clashes are ignored.
 */
function defaultConstraintName(table: string, constraint: ConstraintInfo): string | null {
  const relname = table.split(".").at(-1) ?? table;
  if (constraint.kind === "primary-key") return `${relname}_pkey`;
  const suffix = DEFAULT_NAME_SUFFIX[constraint.kind];
  if (!suffix) return null;
  const columns = constraint.kind === "check" ? checkColumns(constraint) : constraint.columns;
  return [relname, ...columns, suffix].join("_");
}

/** The column a CHECK expression references, when it references exactly one (else none). */
function checkColumns(constraint: ConstraintInfo): string[] {
  const names = new Set<string>();
  walk(constraint.ast.raw_expr, (type, body) => {
    if (type === "ColumnRef") names.add(stringList(body.fields as Node[] | undefined).at(-1) ?? "");
  });
  return names.size === 1 ? [...names] : [];
}
