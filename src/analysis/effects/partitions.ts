/**
 * Partitioned tables in the statement model. A partitioned table has no storage of its own: Postgres
 * applies most statements on it to every partition too (pg_locks shows each partition locked in the
 * parent's mode, the scan counters count the scans on the partitions), except `ONLY` forms and ATTACH /
 * DETACH PARTITION, which lock only the partition they name.
 */
import type { CreateStmt, IndexStmt, Node, PartitionCmd } from "libpg-query";
import { nodeBody, relationName } from "../../sql/ast.js";
import type { SchemaContext } from "../context.js";
import { type LockMode, stronger } from "../locks.js";
import type { StatementEffects } from "../model.js";
import { descendants, leaves } from "../partition-registry.js";
import { commandRouteBlocker, indexRouteBlocker } from "../partition-routes.js";
import { addLock } from "./base.js";

/** ALTER TABLE sub-commands that act on the named partition only, not on every partition. */
const PARTITION_COMMANDS = new Set([
  "AT_AttachPartition",
  "AT_DetachPartition",
  "AT_DetachPartitionFinalize",
]);

/**
 * ALTER TABLE sub-commands that change the partitioned table alone: row level security and the replica
 * identity are the parent's own settings, and its partitions are not locked (pg_locks on 14 and 18); SET
 * ACCESS METHOD on a partitioned table (Postgres 17+) only sets the method of partitions created later:
 * nothing is locked below the parent or rewritten (pg_locks and relfilenode on 18).
 */
const PARENT_ONLY_COMMANDS = new Set([
  "AT_SetAccessMethod",
  "AT_EnableRowSecurity",
  "AT_DisableRowSecurity",
  "AT_ForceRowSecurity",
  "AT_NoForceRowSecurity",
  "AT_ReplicaIdentity",
]);

/** CREATE TABLE ... PARTITION BY (key columns, null when one is an expression) and ... PARTITION OF. */
export function partitioningOf(stmt: CreateStmt): StatementEffects["partitioning"] {
  const partitioning: NonNullable<StatementEffects["partitioning"]> = {};
  if (stmt.partspec) {
    const elements = (stmt.partspec.partParams ?? []).map(
      (p) => nodeBody<{ name?: string }>(p, "PartitionElem")?.name,
    );
    partitioning.key = elements.every((e) => e !== undefined) ? (elements as string[]) : null;
  }
  if (stmt.partbound) {
    const parent = relationName(nodeBody(stmt.inhRelations?.[0], "RangeVar"));
    if (parent) partitioning.parent = parent;
  }
  return partitioning.key !== undefined || partitioning.parent ? partitioning : undefined;
}

/**
 * A statement on a partitioned table: every partition gets `mode` (by default the lock on the table), and
 * the scans and rewrites of the table are those of its leaf partitions.
 */
export function recurseToPartitions(effects: StatementEffects, ctx: SchemaContext, mode?: LockMode): void {
  const table = effects.target;
  const tree = table ? ctx.partitionTree(table) : null;
  if (!table || !tree) return;
  effects.partitioned = tree;
  const held = mode ?? effects.locks.find((l) => l.relation === table)?.mode;
  if (held) for (const partition of descendants(tree)) addLock(effects, ctx, partition, held);
  effects.scans = onStorage(effects.scans, table, leaves(tree), ctx);
  effects.rewrites = onStorage(effects.rewrites, table, leaves(tree), ctx);
}

/** A scan or rewrite of a partitioned table is one of each existing leaf partition (the parent has no storage). */
function onStorage(relations: string[], table: string, storage: string[], ctx: SchemaContext): string[] {
  if (!relations.includes(table)) return relations;
  const others = relations.filter((r) => r !== table);
  return [...others, ...storage.filter((p) => ctx.isExisting(p) && !others.includes(p))];
}

/**
 * ALTER TABLE on a partitioned table (not `ONLY`): the partitions take the strongest lock of the
 * sub-commands that recurse. With `ONLY` nothing recurses and the parent, which has no storage, is neither
 * scanned nor indexed (ADD PRIMARY KEY makes an INVALID parent index). A foreign key that every partition
 * already has, validated, is attached instead of checked: no scan, but Postgres drops the partitions' own
 * triggers on the referenced table, under ACCESS EXCLUSIVE there (pg_locks on 14 and 18).
 * ALTER INDEX ... ATTACH PARTITION attaches an index: it reads nothing, locks both indexes (SHARE UPDATE
 * EXCLUSIVE on the parent index, ACCESS EXCLUSIVE on the attached one) and their tables ACCESS SHARE.
 */
export function alterTablePartitions(
  effects: StatementEffects,
  ctx: SchemaContext,
  relation: { inh: boolean; objtype: string },
  transaction: number,
): void {
  if (relation.objtype === "OBJECT_INDEX") {
    attachIndexEffects(effects, ctx);
    return;
  }
  const table = effects.target ?? "";
  const tree = ctx.partitionTree(table);
  if (!tree) return;
  if (!relation.inh) {
    for (const command of effects.commands) Object.assign(command, { scan: false, buildsIndex: false });
    withoutStorage(effects, table);
    return;
  }
  let mode: LockMode | null = null;
  for (const command of effects.commands) {
    if (PARENT_ONLY_COMMANDS.has(command.subtype)) command.rewrite = false;
    if (PARTITION_COMMANDS.has(command.subtype) || PARENT_ONLY_COMMANDS.has(command.subtype)) continue;
    mode = mode ? stronger(mode, command.mode) : command.mode;
    const fk = command.constraint;
    if (command.subtype !== "AT_AddConstraint" || fk?.kind !== "foreign-key" || !fk.references) continue;
    const storage = leaves(tree);
    const attaches =
      storage.length > 0 &&
      storage.every((p) => ctx.hasValidatedForeignKey(p, fk.columns, fk.references as string, transaction));
    if (!attaches) continue;
    command.scan = false;
    command.reason = null;
    addLock(effects, ctx, fk.references, "AccessExclusiveLock");
  }
  if (!effects.commands.some((c) => c.scan && !PARTITION_COMMANDS.has(c.subtype)))
    effects.scans = effects.scans.filter((s) => s !== table);
  if (!effects.commands.some((c) => c.rewrite))
    effects.rewrites = effects.rewrites.filter((r) => r !== table);
  if (mode) recurseToPartitions(effects, ctx, mode);
  const nullable = (column: string) => !ctx.isNotNull(table, column);
  for (const command of effects.commands) {
    const blocker = commandRouteBlocker(tree, command, ctx.pgVersion, effects.commands.length, nullable);
    if (blocker) {
      effects.noPartitionRoute = blocker;
      break;
    }
  }
}

/** A partitioned table alone has no rows: nothing to scan, rewrite or index. */
function withoutStorage(effects: StatementEffects, table: string): void {
  effects.scans = effects.scans.filter((s) => s !== table);
  effects.rewrites = effects.rewrites.filter((s) => s !== table);
  effects.buildsIndex = false;
}

function attachIndexEffects(effects: StatementEffects, ctx: SchemaContext): void {
  const parentIndex = effects.target ?? "";
  for (const command of effects.commands) {
    if (command.subtype !== "AT_AttachPartition") continue;
    command.scan = false;
    command.reason = null;
    const child = relationName(nodeBody<PartitionCmd>(command.ast.def, "PartitionCmd")?.name);
    for (const index of [parentIndex, child]) {
      const table = ctx.tableOfIndex(index);
      if (table) addLock(effects, ctx, table, "AccessShareLock");
    }
  }
  effects.scans = [];
}

/** CREATE INDEX on a partitioned table: whether the route through its partitions exists. */
export function indexPartitionRoute(effects: StatementEffects, stmt: IndexStmt): void {
  if (!effects.partitioned) return;
  const columns = (stmt.indexParams ?? []).map(
    (p: Node) => nodeBody<{ name?: string }>(p, "IndexElem")?.name ?? null,
  );
  const blocker = indexRouteBlocker(effects.partitioned, stmt.unique === true, columns);
  if (blocker) effects.noPartitionRoute = blocker;
}

/** CREATE INDEX ... ON ONLY a partitioned table: an INVALID index on the parent alone, nothing built. */
export function indexOnOnly(effects: StatementEffects, ctx: SchemaContext): void {
  if (effects.target && ctx.partitionTree(effects.target)) withoutStorage(effects, effects.target);
}

/** DROP TABLE / TRUNCATE of partitioned tables: every partition too; dropping a partition locks its parent. */
export function dropPartitions(effects: StatementEffects, ctx: SchemaContext, tables: string[]): void {
  for (const table of tables) {
    const tree = ctx.partitionTree(table);
    if (tree) {
      for (const partition of descendants(tree)) addLock(effects, ctx, partition, "AccessExclusiveLock");
      effects.rewrites = onStorage(effects.rewrites, table, leaves(tree), ctx);
    }
    const parent = effects.kind === "DropStmt" ? ctx.parentOf(table) : null;
    if (parent) addLock(effects, ctx, parent, "AccessExclusiveLock");
  }
}
