/**
 * Which safe route a statement on a partitioned table has, and why there is none when there is none. One
 * answer for the lint rules (which say it) and the safe rewrites in src/plan (which take the route, or leave
 * the statement as written so that the lint gate stops `up`). Postgres refuses the plain safe forms on a
 * partitioned table: CREATE INDEX CONCURRENTLY ("cannot create index on partitioned table ...
 * concurrently"), and before Postgres 18 ADD FOREIGN KEY ... NOT VALID ("cannot add NOT VALID foreign key
 * on partitioned table"). The routes go through the partitions instead, so they need to know all of them.
 */
import type { CommandEffects, PartitionTree } from "./model.js";

/** The first Postgres major that accepts ADD FOREIGN KEY ... NOT VALID on a partitioned table. */
export const NOT_VALID_FOREIGN_KEY_ON_PARTITIONED = 18;

function unknownPartitions(tree: PartitionTree): string | null {
  if (tree.complete) return null;
  return `not every partition of ${tree.table} is known (it is partitioned before this migration set; with --database-url its partitions are read from the catalog)`;
}

/**
 * CREATE [UNIQUE] INDEX on a partitioned table: ON ONLY the parent, CONCURRENTLY on each partition, then
 * ATTACH. A unique index must cover the partition key (Postgres enforces uniqueness per partition).
 */
export function indexRouteBlocker(
  tree: PartitionTree,
  unique: boolean,
  columns: Array<string | null>,
): string | null {
  const unknown = unknownPartitions(tree);
  if (unknown) return unknown;
  if (!unique) return null;
  return uncoveredKey(tree, columns);
}

/** Why a unique index over `columns` cannot exist on the tree's tables (a key column is missing), or null. */
function uncoveredKey(tree: PartitionTree, columns: Array<string | null>): string | null {
  if (!tree.partitioned) return null;
  if (tree.key === null)
    return `the partition key of ${tree.table} is unknown or an expression, so a unique index on it cannot be checked to include it`;
  const missing = tree.key.filter((k) => !columns.includes(k));
  if (missing.length > 0)
    return `Postgres requires a unique index on partitioned table ${tree.table} to include its partition key (${missing.join(", ")} missing)`;
  for (const partition of tree.partitions) {
    const reason = uncoveredKey(partition, columns);
    if (reason) return reason;
  }
  return null;
}

/** The sub-commands of an ALTER TABLE on a partitioned table that need a route through the partitions. */
export type PartitionCommandRoute = "foreign-key" | "unique" | null;

export function commandRoute(command: CommandEffects, pgVersion: number): PartitionCommandRoute {
  const { constraint } = command;
  if (command.subtype === "AT_AddConstraint" && constraint && command.scan) {
    if (constraint.kind === "foreign-key" && pgVersion < NOT_VALID_FOREIGN_KEY_ON_PARTITIONED)
      return "foreign-key";
    if ((constraint.kind === "unique" || constraint.kind === "primary-key") && !constraint.usingIndex)
      return "unique";
  }
  if (command.subtype === "AT_AddColumn" && command.scan) {
    const column = command.addColumn;
    if (column?.referencesValidated && pgVersion < NOT_VALID_FOREIGN_KEY_ON_PARTITIONED) return "foreign-key";
    if (column?.unique || column?.primaryKey) return "unique";
  }
  return null;
}

/**
 * Why an ALTER TABLE sub-command on a partitioned table has no safe route, or null when it has one (or
 * needs none). The foreign-key route (each partition NOT VALID, validated, then the parent's key, which
 * Postgres attaches to them without a scan) and the unique route (ONLY on the parent, a concurrent unique
 * index and USING INDEX constraint per partition, then ATTACH) take a statement with that one sub-command.
 */
export function commandRouteBlocker(
  tree: PartitionTree,
  command: CommandEffects,
  pgVersion: number,
  commandCount: number,
  nullable: (column: string) => boolean,
): string | null {
  const route = commandRoute(command, pgVersion);
  if (!route) return null;
  const unknown = unknownPartitions(tree);
  if (unknown) return unknown;
  if (command.subtype === "AT_AddColumn")
    return route === "foreign-key"
      ? `Postgres ${pgVersion} cannot add a foreign key NOT VALID to partitioned table ${tree.table}; add the column first, then the foreign key in a statement of its own`
      : `a column's inline ${command.addColumn?.primaryKey ? "PRIMARY KEY" : "UNIQUE"} on partitioned table ${tree.table} has no concurrent form; add the column first, then the constraint in a statement of its own`;
  if (commandCount > 1)
    return `the route through the partitions of ${tree.table} takes an ALTER TABLE with this one sub-command; put it in a statement of its own`;
  if (route === "unique") {
    const constraint = command.constraint;
    const columns = constraint?.columns ?? [];
    const nullableColumns = columns.filter(nullable);
    if (constraint?.kind === "primary-key" && nullableColumns.length > 0)
      return `the primary key's columns (${nullableColumns.join(", ")}) must be known to be NOT NULL on every partition first (the CHECK route of set-not-null-full-scan), else Postgres checks them under ACCESS EXCLUSIVE`;
    return uncoveredKey(tree, columns);
  }
  return null;
}
