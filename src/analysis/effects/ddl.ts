import type {
  AlterEnumStmt,
  ColumnDef,
  Constraint,
  CreateStmt,
  CreateTableAsStmt,
  DropStmt,
  IndexStmt,
  Node,
  RenameStmt,
  ViewStmt,
} from "libpg-query";
import { dottedName, nodeBody, qualifiedName, relationName, stringList } from "../../sql/ast.js";
import type { SchemaContext } from "../context.js";
import type { CommandEffects, StatementEffects } from "../model.js";
import { addLock, addQueryLocks, emptyCommand, emptyEffects, objectWords } from "./base.js";
import { constraintInfo, describeColumn } from "./columns.js";
import {
  dropPartitions,
  indexOnOnly,
  indexPartitionRoute,
  partitioningOf,
  recurseToPartitions,
} from "./partitions.js";

/** CREATE TABLE: each column and table constraint becomes a command, so rules see one shape for new columns. */
export function describeCreateTable(stmt: CreateStmt, ctx: SchemaContext): StatementEffects {
  const table = relationName(stmt.relation);
  const effects = emptyEffects("CreateStmt", "CREATE TABLE", table);
  effects.compat = "additive";
  effects.creates.push(table);
  for (const element of stmt.tableElts ?? []) {
    const column = nodeBody<ColumnDef>(element, "ColumnDef");
    const constraint = nodeBody<Constraint>(element, "Constraint");
    if (column) {
      const command = syntheticCommand("AT_AddColumn", column.colname ?? null, { ColumnDef: column });
      command.addColumn = describeColumn(column);
      const inline = (column.constraints ?? []).map((c) => nodeBody<Constraint>(c, "Constraint"));
      command.constraint = firstConstraint(inline, column.colname ?? null);
      effects.commands.push(command);
    } else if (constraint) {
      const command = syntheticCommand("AT_AddConstraint", null, { Constraint: constraint });
      command.constraint = constraintInfo(constraint);
      command.column = command.constraint?.columns[0] ?? null;
      effects.commands.push(command);
    }
  }
  addLock(effects, ctx, table, "AccessExclusiveLock");
  for (const command of effects.commands) {
    const referenced = command.constraint?.references ?? command.addColumn?.references;
    if (referenced && referenced !== table) addLock(effects, ctx, referenced, "ShareRowExclusiveLock");
  }
  for (const parent of stmt.inhRelations ?? []) {
    const name = relationName(nodeBody(parent, "RangeVar"));
    addLock(effects, ctx, name, stmt.partbound ? "AccessExclusiveLock" : "ShareUpdateExclusiveLock");
  }
  const partitioning = partitioningOf(stmt);
  if (partitioning) effects.partitioning = partitioning;
  return effects;
}

function syntheticCommand(subtype: string, column: string | null, def: Node): CommandEffects {
  const command = emptyCommand(
    { subtype: subtype as CommandEffects["ast"]["subtype"], def },
    "AccessExclusiveLock",
  );
  command.column = column;
  command.compat = "additive";
  return command;
}

function firstConstraint(constraints: Array<Constraint | undefined>, column: string | null) {
  for (const c of constraints) {
    const info = c ? constraintInfo(c, column) : null;
    if (info && info.kind !== "not-null") return info;
  }
  return null;
}

export function describeIndex(stmt: IndexStmt, ctx: SchemaContext): StatementEffects {
  const table = relationName(stmt.relation);
  const effects = emptyEffects("IndexStmt", stmt.unique ? "CREATE UNIQUE INDEX" : "CREATE INDEX", table);
  effects.compat = "additive";
  effects.buildsIndex = true;
  effects.concurrent = stmt.concurrent === true;
  effects.transactional = !stmt.concurrent;
  if (stmt.idxname) effects.creates.push(qualifiedName(stmt.relation?.schemaname, stmt.idxname));
  effects.indexColumns = (stmt.indexParams ?? []).map(
    (p) => nodeBody<{ name?: string }>(p, "IndexElem")?.name ?? null,
  );
  addLock(effects, ctx, table, stmt.concurrent ? "ShareUpdateExclusiveLock" : "ShareLock");
  if (ctx.isExisting(table)) effects.scans.push(table);
  // ON ONLY builds nothing: an INVALID index on the parent alone, until the partitions' are attached.
  if (stmt.relation?.inh) {
    recurseToPartitions(effects, ctx);
    indexPartitionRoute(effects, stmt);
  } else indexOnOnly(effects, ctx);
  return effects;
}

/** Object kinds whose removal breaks code that still uses them. */
const CONTRACT_DROPS = new Set([
  "OBJECT_TABLE",
  "OBJECT_VIEW",
  "OBJECT_MATVIEW",
  "OBJECT_SEQUENCE",
  "OBJECT_SCHEMA",
  "OBJECT_TYPE",
  "OBJECT_DOMAIN",
  "OBJECT_FUNCTION",
  "OBJECT_PROCEDURE",
  "OBJECT_ROUTINE",
]);

const RELATION_DROPS = new Set([
  "OBJECT_TABLE",
  "OBJECT_VIEW",
  "OBJECT_MATVIEW",
  "OBJECT_SEQUENCE",
  "OBJECT_INDEX",
]);

export function describeDrop(stmt: DropStmt, ctx: SchemaContext): StatementEffects {
  const type = stmt.removeType ?? "";
  const effects = emptyEffects("DropStmt", `DROP ${objectWords(type).toUpperCase()}`);
  effects.objectKind = objectWords(type);
  effects.concurrent = stmt.concurrent === true;
  effects.transactional = !stmt.concurrent;
  const cascaded: string[] = [];
  for (const object of stmt.objects ?? []) {
    const name = droppedName(object);
    if (type === "OBJECT_TRIGGER" || type === "OBJECT_POLICY" || type === "OBJECT_RULE") {
      // The name list ends with the object; the table comes before it.
      const parts = stringList(nodeBody<{ items?: Node[] }>(object, "List")?.items);
      const table =
        parts.length > 2 ? qualifiedName(parts.at(-3), parts.at(-2) as string) : (parts.at(-2) ?? "");
      effects.target ??= table;
      addLock(effects, ctx, table, "AccessExclusiveLock");
      continue;
    }
    effects.drops.push(name);
    if (!RELATION_DROPS.has(type)) continue;
    if (type === "OBJECT_INDEX") {
      const table = ctx.tableOfIndex(name);
      const mode = stmt.concurrent ? "ShareUpdateExclusiveLock" : "AccessExclusiveLock";
      effects.indexes.push({ index: name, table });
      if (table) {
        effects.target ??= table;
        addLock(effects, ctx, table, mode);
      }
      // index_drop() locks the index in the same mode as its table (never ACCESS EXCLUSIVE when concurrent).
      addLock(effects, ctx, name, mode);
    } else {
      effects.target ??= name;
      addLock(effects, ctx, name, "AccessExclusiveLock");
      // Dropping a table drops its foreign keys' triggers on the tables they reference (pg_locks).
      for (const referenced of ctx.referencedTables(name))
        addLock(effects, ctx, referenced, "AccessExclusiveLock");
      if (stmt.behavior === "DROP_CASCADE") cascaded.push(...ctx.dependentViews(name));
    }
  }
  // CASCADE drops the views that read the relation too (those the schema context knows), after the
  // objects named.
  for (const view of new Set(cascaded)) {
    if (effects.drops.includes(view)) continue;
    effects.drops.push(view);
    addLock(effects, ctx, view, "AccessExclusiveLock");
  }
  if (type === "OBJECT_TABLE") dropPartitions(effects, ctx, effects.drops);
  const existing = (d: string) =>
    RELATION_DROPS.has(type)
      ? ctx.isExisting(d)
      : type === "OBJECT_ROUTINE"
        ? ctx.isExistingObject("OBJECT_FUNCTION", d) && ctx.isExistingObject("OBJECT_PROCEDURE", d)
        : ctx.isExistingObject(type, d);
  effects.dropsInUse = CONTRACT_DROPS.has(type) ? effects.drops.filter(existing) : [];
  effects.compat = effects.dropsInUse.length > 0 ? "contract" : "neutral";
  return effects;
}

function droppedName(object: Node): string {
  const list = nodeBody<{ items?: Node[] }>(object, "List");
  if (list) return dottedName(list.items);
  const typeName = nodeBody<{ names?: Node[] }>(object, "TypeName");
  if (typeName) return dottedName(typeName.names);
  const withArgs = nodeBody<{ objname?: Node[] }>(object, "ObjectWithArgs");
  if (withArgs) return dottedName(withArgs.objname);
  return nodeBody<{ sval?: string }>(object, "String")?.sval ?? "";
}

export function describeRename(stmt: RenameStmt, ctx: SchemaContext): StatementEffects {
  const type = stmt.renameType ?? "";
  const table = relationName(stmt.relation);
  const effects = emptyEffects("RenameStmt", `RENAME ${type.replace("OBJECT_", "")}`, table || null);
  effects.objectKind = objectWords(type);
  const newName = stmt.newname ?? "";
  // Running code cannot use a relation created in this migration, so renaming it breaks nothing.
  const renameCompat = ctx.isExisting(table) ? "contract" : "neutral";
  switch (type) {
    case "OBJECT_COLUMN":
      effects.compat = renameCompat;
      effects.renamed = { kind: "column", table, from: stmt.subname ?? "", to: newName };
      addLock(effects, ctx, table, "AccessExclusiveLock");
      break;
    case "OBJECT_TABLE":
    case "OBJECT_VIEW":
    case "OBJECT_MATVIEW":
    case "OBJECT_SEQUENCE":
    case "OBJECT_FOREIGN_TABLE":
      effects.compat = renameCompat;
      effects.renamed = {
        kind: "table",
        table,
        from: table,
        to: qualifiedName(stmt.relation?.schemaname, newName),
      };
      addLock(effects, ctx, table, "AccessExclusiveLock");
      break;
    case "OBJECT_INDEX":
      addLock(effects, ctx, table, ctx.pgVersion >= 12 ? "ShareUpdateExclusiveLock" : "AccessExclusiveLock");
      break;
    case "OBJECT_TABCONSTRAINT":
      addLock(effects, ctx, table, "AccessExclusiveLock");
      break;
    default:
      // Renaming a type, function or schema breaks code that names it.
      effects.compat =
        type === "OBJECT_TYPE" || type === "OBJECT_FUNCTION" || type === "OBJECT_SCHEMA"
          ? "contract"
          : "neutral";
  }
  return effects;
}

export function describeCreateTableAs(stmt: CreateTableAsStmt, ctx: SchemaContext): StatementEffects {
  const target = relationName(stmt.into?.rel);
  const matview = stmt.objtype === "OBJECT_MATVIEW";
  const effects = emptyEffects(
    "CreateTableAsStmt",
    matview ? "CREATE MATERIALIZED VIEW" : "CREATE TABLE AS",
    target,
  );
  effects.compat = "additive";
  effects.creates.push(target);
  addLock(effects, ctx, target, "AccessExclusiveLock");
  addQueryLocks(effects, ctx, stmt.query);
  return effects;
}

export function describeView(stmt: ViewStmt, ctx: SchemaContext): StatementEffects {
  const view = relationName(stmt.view);
  const effects = emptyEffects("ViewStmt", stmt.replace ? "CREATE OR REPLACE VIEW" : "CREATE VIEW", view);
  effects.compat = "additive";
  if (!stmt.replace || !ctx.isExisting(view)) effects.creates.push(view);
  addLock(effects, ctx, view, "AccessExclusiveLock");
  addQueryLocks(effects, ctx, stmt.query);
  return effects;
}

export function describeAlterEnum(stmt: AlterEnumStmt, ctx: SchemaContext): StatementEffects {
  const type = dottedName(stmt.typeName);
  const effects = emptyEffects(
    "AlterEnumStmt",
    stmt.newVal ? "ALTER TYPE ADD VALUE" : "ALTER TYPE RENAME VALUE",
  );
  if (stmt.oldVal) {
    // Running code writes and compares the old label; an enum this migration created has no users yet.
    effects.compat = ctx.isExistingObject("OBJECT_TYPE", type) ? "contract" : "neutral";
    return effects;
  }
  effects.compat = "additive";
  effects.enumValueAdded = { type, value: stmt.newVal ?? "" };
  // Before Postgres 12, ADD VALUE cannot run inside a transaction block.
  effects.transactional = ctx.pgVersion >= 12;
  return effects;
}
