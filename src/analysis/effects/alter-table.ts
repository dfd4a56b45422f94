import type {
  AlterTableCmd,
  AlterTableStmt,
  ColumnDef,
  Constraint,
  Node,
  PartitionCmd,
  RangeVar,
  TypeCast,
} from "libpg-query";
import {
  type ColumnType,
  columnType,
  formatColumnType,
  nodeBody,
  qualifiedName,
  relationName,
  stringList,
  upperWords,
} from "../../sql/ast.js";
import type { SchemaContext } from "../context.js";
import type { LockMode } from "../locks.js";
import type { CommandEffects, StatementEffects } from "../model.js";
import { addLock, emptyCommand, emptyEffects, foldCommands, objectWords } from "./base.js";
import { isBinaryCoercibleWidening, isWidening } from "./column-types.js";
import { columnConstraints, constraintInfo, describeColumn } from "./columns.js";
import { alterTablePartitions } from "./partitions.js";

const SHARE_UPDATE_EXCLUSIVE = new Set([
  "AT_SetStatistics",
  "AT_SetOptions",
  "AT_ResetOptions",
  "AT_ValidateConstraint",
  "AT_ClusterOn",
  "AT_DropCluster",
  "AT_SetRelOptions",
  "AT_ResetRelOptions",
  "AT_ReplaceRelOptions",
  "AT_DetachPartitionFinalize",
]);

const SHARE_ROW_EXCLUSIVE = new Set([
  "AT_EnableTrig",
  "AT_EnableAlwaysTrig",
  "AT_EnableReplicaTrig",
  "AT_DisableTrig",
  "AT_EnableTrigAll",
  "AT_DisableTrigAll",
  "AT_EnableTrigUser",
  "AT_DisableTrigUser",
  "AT_AlterConstraint",
]);

const REWRITING = new Set([
  "AT_SetTableSpace",
  "AT_SetLogged",
  "AT_SetUnLogged",
  "AT_SetAccessMethod",
  "AT_SetExpression",
]);

/** The lock Postgres takes for a sub-command (AlterTableGetLockLevel in tablecmds.c). */
function commandLock(cmd: AlterTableCmd, pgVersion: number): LockMode {
  const subtype = cmd.subtype ?? "";
  if (SHARE_UPDATE_EXCLUSIVE.has(subtype)) return "ShareUpdateExclusiveLock";
  if (SHARE_ROW_EXCLUSIVE.has(subtype)) return "ShareRowExclusiveLock";
  if (subtype === "AT_AttachPartition")
    return pgVersion >= 12 ? "ShareUpdateExclusiveLock" : "AccessExclusiveLock";
  if (subtype === "AT_DetachPartition" && nodeBody<PartitionCmd>(cmd.def, "PartitionCmd")?.concurrent)
    return "ShareUpdateExclusiveLock";
  if (subtype === "AT_AddConstraint") {
    const constraint = nodeBody<Constraint>(cmd.def, "Constraint");
    if (constraint?.contype === "CONSTR_FOREIGN") return "ShareRowExclusiveLock";
  }
  return "AccessExclusiveLock";
}

export function describeAlterTable(
  stmt: AlterTableStmt,
  ctx: SchemaContext,
  transaction: number,
): StatementEffects {
  const table = relationName(stmt.relation);
  const objectKind = objectWords(stmt.objtype ?? "OBJECT_TABLE");
  const kind = objectKind.toUpperCase();
  const effects = emptyEffects("AlterTableStmt", `ALTER ${kind}`, table);
  effects.objectKind = objectKind;
  const dropped = new Set(
    (stmt.cmds ?? [])
      .map((node) => nodeBody<AlterTableCmd>(node, "AlterTableCmd"))
      .filter((cmd) => cmd?.subtype === "AT_DropConstraint" && cmd.name)
      .map((cmd) => cmd?.name as string),
  );
  for (const node of stmt.cmds ?? []) {
    const cmd = nodeBody<AlterTableCmd>(node, "AlterTableCmd");
    if (!cmd) continue;
    const command = describeCommand(cmd, table, ctx, transaction, dropped);
    effects.commands.push(command);
    const added = command.constraint?.references ?? command.addColumn?.references;
    if (added) addLock(effects, ctx, added, "ShareRowExclusiveLock");
    // A known foreign key's referenced table: VALIDATE reads it under ROW SHARE; dropping the key
    // removes its triggers there under ACCESS EXCLUSIVE (both seen in pg_locks).
    const known = cmd.name ? ctx.foreignKeyTarget(table, cmd.name) : null;
    if (known && command.subtype === "AT_ValidateConstraint") addLock(effects, ctx, known, "RowShareLock");
    if (known && command.subtype === "AT_DropConstraint") addLock(effects, ctx, known, "AccessExclusiveLock");
    const partition = nodeBody<PartitionCmd>(cmd.def, "PartitionCmd");
    // The partition named by ATTACH / DETACH PARTITION is locked ACCESS EXCLUSIVE in every form. DETACH
    // CONCURRENTLY takes SHARE UPDATE EXCLUSIVE on it in its first transaction only; its second transaction
    // (after waiting out the queries on the parent) queues for ACCESS EXCLUSIVE on the partition (pg_locks
    // shows it waiting behind a reader of the partition, on 14 and 18).
    if (partition?.name) addLock(effects, ctx, relationName(partition.name), "AccessExclusiveLock");
    // INHERIT locks the new parent SHARE UPDATE EXCLUSIVE, NO INHERIT reads the old one under ACCESS SHARE
    // (pg_locks on 14 and 18); the child gets ACCESS EXCLUSIVE either way.
    const parent = inheritanceParent(command);
    if (parent)
      addLock(
        effects,
        ctx,
        parent,
        cmd.subtype === "AT_AddInherit" ? "ShareUpdateExclusiveLock" : "AccessShareLock",
      );
    if (partition?.concurrent) {
      effects.concurrent = true;
      effects.transactional = false;
    }
  }
  if (effects.commands.length === 1)
    effects.action = `ALTER ${kind} ${commandLabel(effects.commands[0] as CommandEffects)}`;
  foldCommands(effects, ctx, table);
  // ATTACH PARTITION scans the partition being attached (pg_stat_get_xact_numscans counts it there), not
  // the partitioned parent, which has no storage.
  for (const command of effects.commands) {
    if (command.subtype !== "AT_AttachPartition" || !command.scan) continue;
    const partition = relationName(nodeBody<PartitionCmd>(command.ast.def, "PartitionCmd")?.name);
    if (!partition) continue;
    if (!effects.commands.some((c) => c.scan && c.subtype !== "AT_AttachPartition"))
      effects.scans = effects.scans.filter((s) => s !== table);
    if (!effects.scans.includes(partition)) effects.scans.push(partition);
  }
  alterTablePartitions(
    effects,
    ctx,
    { inh: stmt.relation?.inh === true, objtype: stmt.objtype ?? "" },
    transaction,
  );
  return effects;
}

/** The parent table of an INHERIT / NO INHERIT sub-command. */
export function inheritanceParent(command: CommandEffects): string | null {
  if (command.subtype !== "AT_AddInherit" && command.subtype !== "AT_DropInherit") return null;
  return relationName(nodeBody<RangeVar>(command.ast.def, "RangeVar")) || null;
}

/** Sub-commands whose SQL spelling does not follow from their enum name. */
const COMMAND_LABELS: Record<string, string> = {
  AT_ColumnDefault: "SET/DROP DEFAULT",
  AT_SetUnLogged: "SET UNLOGGED",
  AT_SetTableSpace: "SET TABLESPACE",
  AT_SetRelOptions: "SET (...)",
  AT_ResetRelOptions: "RESET (...)",
  AT_AddIndexConstraint: "ADD CONSTRAINT USING INDEX",
  AT_AddInherit: "INHERIT",
  AT_DropInherit: "NO INHERIT",
  AT_EnableRowSecurity: "ENABLE ROW LEVEL SECURITY",
  AT_DisableRowSecurity: "DISABLE ROW LEVEL SECURITY",
  AT_ForceRowSecurity: "FORCE ROW LEVEL SECURITY",
  AT_NoForceRowSecurity: "NO FORCE ROW LEVEL SECURITY",
};

/** The sub-command in SQL words (`ADD CONSTRAINT`, `SET NOT NULL`). */
export function commandLabel(command: CommandEffects): string {
  return COMMAND_LABELS[command.subtype] ?? upperWords(command.subtype.replace(/^AT_/, ""));
}

function describeCommand(
  cmd: AlterTableCmd,
  table: string,
  ctx: SchemaContext,
  transaction: number,
  /** Constraints the same statement drops: they prove no NOT NULL. */
  dropped: ReadonlySet<string>,
): CommandEffects {
  const command = emptyCommand(cmd, commandLock(cmd, ctx.pgVersion));
  // ATTACH PARTITION reads the partition, not the parent: what matters is whether the partition holds data.
  const attached =
    cmd.subtype === "AT_AttachPartition"
      ? relationName(nodeBody<PartitionCmd>(cmd.def, "PartitionCmd")?.name)
      : null;
  const existing = ctx.isExisting(attached ?? table);
  switch (cmd.subtype) {
    case "AT_AddColumn":
    case "AT_AddColumnToView":
      describeAddColumn(command, nodeBody<ColumnDef>(cmd.def, "ColumnDef"), ctx.pgVersion);
      break;
    case "AT_DropColumn":
      command.compat = "contract";
      break;
    case "AT_SetNotNull":
      command.notNullProvenByCheck =
        ctx.pgVersion >= 12 && ctx.hasValidatedNotNullCheck(table, cmd.name ?? "", dropped);
      command.scan = !command.notNullProvenByCheck;
      command.reason = command.scan ? "checks every row for NULL" : null;
      break;
    case "AT_AlterColumnType":
      describeTypeChange(command, cmd, table, ctx);
      break;
    case "AT_AddConstraint":
      describeAddConstraint(command, nodeBody<Constraint>(cmd.def, "Constraint"), (index) =>
        ctx.indexKeysNotNull(qualifiedName(schemaOf(table), index), table),
      );
      if (command.constraint?.kind === "not-null" && !command.constraint.notValid) {
        // PG18 `ADD CONSTRAINT c NOT NULL col` checks every row for NULL, as SET NOT NULL does, and skips
        // that scan in the same case (a validated CHECK (col IS NOT NULL)).
        command.notNullProvenByCheck = ctx.hasValidatedNotNullCheck(table, command.column ?? "", dropped);
        command.scan = !command.notNullProvenByCheck;
        command.reason = command.scan ? "checks every row for NULL" : null;
      }
      break;
    case "AT_ValidateConstraint":
      command.scan = true;
      command.reason = "validates every row (reads and writes continue)";
      command.validatesConstraintAddedInSameTransaction = ctx.constraintAddedNotValidIn(
        table,
        cmd.name ?? "",
        transaction,
      );
      break;
    case "AT_EnableRowSecurity":
      command.policyKnown = ctx.hasPolicy(table);
      break;
    case "AT_AttachPartition":
      command.attachProvenByCheck = ctx.hasValidatedCheck(attached ?? "");
      command.scan = !command.attachProvenByCheck;
      command.reason = command.scan ? "checks every row of the partition against its bound" : null;
      break;
    default:
      if (REWRITING.has(cmd.subtype ?? "")) {
        command.rewrite = true;
        command.reason = "rewrites the whole table";
      }
  }
  if (!existing) {
    // A table created in this migration holds no data yet: nothing to rewrite or scan.
    command.rewrite = false;
    command.scan = false;
    // ... and no running code uses it yet, so no change to it can break that code.
    if (command.compat === "contract") command.compat = "neutral";
  }
  return command;
}

function describeAddColumn(command: CommandEffects, def: ColumnDef | undefined, pgVersion: number): void {
  if (!def) return;
  const info = describeColumn(def);
  command.column = def.colname ?? null;
  command.addColumn = info;
  command.compat =
    info.notNull && !info.defaultExpression && !info.identity && !info.serial && !info.generatedStored
      ? "contract"
      : "additive";
  const rewriteReason =
    info.volatileDefault ??
    (info.generatedStored ? "stored generated column" : null) ??
    (info.identity ? "identity column" : null) ??
    (pgVersion < 11 && info.defaultExpression ? "any default rewrites the table before Postgres 11" : null);
  if (rewriteReason) {
    command.rewrite = true;
    command.reason = rewriteReason;
  } else if ((info.notNull && !info.defaultExpression) || info.check || info.referencesValidated) {
    // NOT NULL with a default needs no scan on PG11+: old rows read the stored default ("missing value"),
    // so none can be NULL (pg_stat_get_xact_numscans stays 0). Older versions rewrite (above).
    command.scan = true;
    command.reason = info.referencesValidated
      ? "validates the new foreign key"
      : "checks every row against the new column's constraints";
  }
  if (info.primaryKey || info.unique) {
    // The index build reads every row, under the ACCESS EXCLUSIVE lock of ADD COLUMN.
    command.buildsIndex = true;
    command.scan = !command.rewrite;
    command.reason ??= "builds a unique index under ACCESS EXCLUSIVE";
  }
  for (const constraint of columnConstraints(def)) {
    const described = constraintInfo(constraint, command.column);
    if (described && described.kind !== "not-null") command.constraint ??= described;
  }
}

function describeTypeChange(
  command: CommandEffects,
  cmd: AlterTableCmd,
  table: string,
  ctx: SchemaContext,
): void {
  const def = nodeBody<ColumnDef>(cmd.def, "ColumnDef");
  const to = columnType(def?.typeName);
  const from = ctx.column(table, cmd.name ?? "")?.type ?? null;
  const using = def?.raw_default !== undefined;
  command.typeChange = { from, to, using };
  const safe =
    from !== null &&
    (!using || isPlainUsing(def?.raw_default, cmd.name ?? "", to)) &&
    isBinaryCoercibleWidening(from, to);
  command.rewrite = !safe;
  command.compat = from !== null && isWidening(from, to) ? "neutral" : "contract";
  if (!safe) {
    command.reason =
      from === null
        ? `changes the type to ${formatColumnType(to)}; the current type is unknown here, so a rewrite is assumed`
        : `${formatColumnType(from)} to ${formatColumnType(to)} rewrites the table and its indexes`;
  }
}

/**
 * `USING col` or `USING col::newtype`: Postgres sees through the column reference and a relabelling cast
 * (ATColumnChangeRequiresRewrite), so such a USING rewrites no more than the type change without it
 * (varchar(10) to text USING v::text keeps the relfilenode).
 */
function isPlainUsing(expr: Node | undefined, column: string, to: ColumnType): boolean {
  const cast = nodeBody<TypeCast>(expr, "TypeCast");
  if (cast) {
    const target = columnType(cast.typeName);
    const same =
      target.name === to.name && target.array === to.array && target.modifiers.join() === to.modifiers.join();
    if (!same) return false;
  }
  const ref = nodeBody<{ fields?: Node[] }>(cast ? cast.arg : expr, "ColumnRef");
  return ref !== undefined && stringList(ref.fields).at(-1) === column;
}

/** The schema of a relation named as the model names it (`schema.name`, or `name` in public). */
function schemaOf(relation: string): string | undefined {
  const dot = relation.indexOf(".");
  return dot === -1 ? undefined : relation.slice(0, dot);
}

function describeAddConstraint(
  command: CommandEffects,
  constraint: Constraint | undefined,
  keysNotNull: (index: string) => boolean,
): void {
  const info = constraint ? constraintInfo(constraint) : null;
  command.constraint = info;
  if (!info) return;
  command.column = info.columns[0] ?? null;
  if ((info.kind === "check" || info.kind === "foreign-key") && !info.notValid) {
    command.scan = true;
    command.reason =
      info.kind === "check"
        ? "checks every row under ACCESS EXCLUSIVE"
        : "validates every row while writes are blocked";
  }
  if (
    (info.kind === "unique" || info.kind === "primary-key" || info.kind === "exclusion") &&
    !info.usingIndex
  ) {
    command.buildsIndex = true;
    command.scan = true;
    command.reason = "builds an index under ACCESS EXCLUSIVE";
  }
  if (info.kind === "primary-key" && info.usingIndex && !keysNotNull(info.usingIndex)) {
    // Postgres makes the key columns NOT NULL and reads every row to check them, unless they already are
    // NOT NULL. Unless the index was created by the set's statements on columns known to be NOT NULL, the
    // scan is assumed.
    command.scan = true;
    command.reason = "checks the key columns for NULLs unless they are already NOT NULL";
  }
}
