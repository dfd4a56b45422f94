import type { AlterTableCmd, RangeVar } from "libpg-query";
import { relationName, walk } from "../../sql/ast.js";
import type { SchemaContext } from "../context.js";
import { type LockMode, stronger } from "../locks.js";
import type { CommandEffects, StatementEffects } from "../model.js";

export function emptyEffects(kind: string, action: string, target: string | null = null): StatementEffects {
  return {
    kind,
    action,
    target,
    locks: [],
    rewrites: [],
    scans: [],
    buildsIndex: false,
    concurrent: false,
    transactional: true,
    compat: "neutral",
    commands: [],
    creates: [],
    drops: [],
    dropsInUse: [],
    dataChange: null,
    transactionControl: null,
    setsTimeout: null,
    enumValueAdded: null,
    renamed: null,
    objectKind: null,
    indexes: [],
  };
}

/** Postgres's words for a parse tree's object kind: `OBJECT_MATVIEW` -> "materialized view". */
export function objectWords(type: string): string {
  const words = type
    .replace(/^(?:REINDEX_)?OBJECT_/, "")
    .replaceAll("_", " ")
    .toLowerCase();
  return words === "matview" ? "materialized view" : words;
}

/** Adds a lock, keeping the strongest mode per relation. */
export function addLock(
  effects: StatementEffects,
  ctx: SchemaContext,
  relation: string,
  mode: LockMode,
): void {
  if (!relation) return;
  const held = effects.locks.find((l) => l.relation === relation);
  if (held) held.mode = stronger(held.mode, mode);
  else effects.locks.push({ relation, mode, existing: ctx.isExisting(relation) });
}

export function emptyCommand(ast: AlterTableCmd, mode: LockMode): CommandEffects {
  return {
    subtype: ast.subtype ?? "",
    ast,
    column: ast.name ?? null,
    mode,
    rewrite: false,
    scan: false,
    buildsIndex: false,
    compat: "neutral",
    reason: null,
    constraint: null,
    addColumn: null,
    typeChange: null,
    notNullProvenByCheck: false,
    validatesConstraintAddedInSameTransaction: false,
    attachProvenByCheck: false,
    policyKnown: false,
  };
}

/** Folds the commands' locks, rewrites, scans and compatibility into the statement. */
export function foldCommands(effects: StatementEffects, ctx: SchemaContext, table: string): void {
  for (const command of effects.commands) {
    addLock(effects, ctx, table, command.mode);
    if (command.rewrite && !effects.rewrites.includes(table)) effects.rewrites.push(table);
    if (command.scan && !effects.scans.includes(table)) effects.scans.push(table);
    if (command.buildsIndex) effects.buildsIndex = true;
    effects.compat = worstCompat(effects.compat, command.compat);
  }
}

export function worstCompat(
  a: StatementEffects["compat"],
  b: StatementEffects["compat"],
): StatementEffects["compat"] {
  if (a === "contract" || b === "contract") return "contract";
  return a === "additive" || b === "additive" ? "additive" : "neutral";
}

/**
 * A relation the statement itself creates is new, although the schema context only learns that after
 * the statement (CREATE TABLE's own ACCESS EXCLUSIVE lock is on a table nobody else can see yet).
 */
export function markCreated(effects: StatementEffects): StatementEffects {
  for (const lock of effects.locks) if (effects.creates.includes(lock.relation)) lock.existing = false;
  return effects;
}

/**
 * Adds ACCESS SHARE on every relation a statement's query reads: Postgres locks them while it analyses
 * the query (CREATE VIEW, CREATE TABLE AS, INSERT ... SELECT, UPDATE ... FROM show them in pg_locks). A
 * statement's own target is a bare RangeVar in the parse tree (`relation`, `view`, `into.rel`), never a
 * wrapped `{ RangeVar }`, so it is not taken here; names of CTEs are not relations.
 */
export function addQueryLocks(effects: StatementEffects, ctx: SchemaContext, tree: unknown): void {
  const ctes = new Set<string>();
  const read: RangeVar[] = [];
  walk(tree, (type, body) => {
    if (type === "CommonTableExpr") ctes.add(String(body.ctename ?? ""));
    if (type === "RangeVar") read.push(body as RangeVar);
  });
  for (const rv of read) {
    if (!rv.schemaname && ctes.has(rv.relname ?? "")) continue;
    addLock(effects, ctx, relationName(rv), "AccessShareLock");
  }
}
