/**
 * Which tables are partitioned and what their partitions are, as the schema context learns it from the
 * migrations of a set (CREATE TABLE ... PARTITION BY / PARTITION OF, ATTACH / DETACH PARTITION, DROP,
 * renames) and, when a database is given, from its catalog. A parent the set only sees through one of its
 * partitions (a `PARTITION OF` or an `ATTACH` of a table from before the set) is known to be partitioned,
 * but not completely: it may have partitions the set never mentions.
 */
import type { CatalogPartitionedTable, PartitionTree } from "./model.js";

interface Parent {
  key: string[] | null;
  complete: boolean;
  partitions: Set<string>;
  /** NOT NULL columns, as the catalog lists them (the set's own tables keep theirs in the schema context). */
  notNull?: Set<string>;
}

export class PartitionRegistry {
  private readonly parents = new Map<string, Parent>();

  /** What the catalog lists: the partitions that exist now, so the set's statements add to them. */
  seed(catalog: CatalogPartitionedTable[]): void {
    for (const { table, key, partitions, notNull } of catalog)
      this.parents.set(table, {
        key,
        complete: true,
        partitions: new Set(partitions),
        notNull: new Set(notNull),
      });
  }

  /** CREATE TABLE ... PARTITION BY: a new parent (partitions the catalog lists for it are kept). */
  created(table: string, key: string[] | null): void {
    const known = this.parents.get(table);
    this.parents.set(table, { key, complete: true, partitions: known?.partitions ?? new Set() });
  }

  /** CREATE TABLE ... PARTITION OF, or ATTACH PARTITION. */
  attached(parent: string, partition: string): void {
    const known = this.parents.get(parent) ?? { key: null, complete: false, partitions: new Set() };
    known.partitions.add(partition);
    this.parents.set(parent, known);
  }

  detached(parent: string, partition: string): void {
    this.parents.get(parent)?.partitions.delete(partition);
  }

  /** DROP TABLE: a parent takes its partitions with it. */
  dropped(table: string): void {
    for (const partition of this.parents.get(table)?.partitions ?? []) this.dropped(partition);
    this.parents.delete(table);
    for (const parent of this.parents.values()) parent.partitions.delete(table);
  }

  renamed(from: string, to: string): void {
    const state = this.parents.get(from);
    if (state) {
      this.parents.delete(from);
      this.parents.set(to, state);
    }
    for (const parent of this.parents.values()) {
      if (parent.partitions.delete(from)) parent.partitions.add(to);
    }
  }

  /** The catalog lists the column as NOT NULL. */
  catalogNotNull(table: string, column: string): boolean {
    return this.parents.get(table)?.notNull?.has(column) === true;
  }

  /** The partitioned table `table` is a partition of, when known. */
  parentOf(table: string): string | null {
    for (const [parent, state] of this.parents) if (state.partitions.has(table)) return parent;
    return null;
  }

  /** The table's partitions, recursively; null when the table is not known to be partitioned. */
  tree(table: string): PartitionTree | null {
    const state = this.parents.get(table);
    if (!state) return null;
    const partitions = [...state.partitions].map(
      (p) => this.tree(p) ?? { table: p, partitioned: false, key: null, complete: true, partitions: [] },
    );
    return {
      table,
      partitioned: true,
      key: state.key,
      complete: state.complete && partitions.every((p) => p.complete),
      partitions,
    };
  }
}

/** Every partition below the tree's table (sub-partitioned ones and their partitions too). */
export function descendants(tree: PartitionTree): string[] {
  return tree.partitions.flatMap((p) => [p.table, ...descendants(p)]);
}

/** The partitions with storage: those a scan or rewrite of the parent reads or rewrites. */
export function leaves(tree: PartitionTree): string[] {
  return tree.partitions.flatMap((p) => (p.partitioned ? leaves(p) : [p.table]));
}
