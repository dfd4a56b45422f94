/** Table maintenance: VACUUM, ANALYZE, CLUSTER, REINDEX, REFRESH MATERIALIZED VIEW. */
import type { ClusterStmt, RefreshMatViewStmt, ReindexStmt, VacuumRelation, VacuumStmt } from "libpg-query";
import { booleanOption, nodeBody, relationName } from "../../sql/ast.js";
import type { SchemaContext } from "../context.js";
import type { StatementEffects } from "../model.js";
import { addLock, emptyEffects, objectWords } from "./base.js";

export function describeVacuum(stmt: VacuumStmt, ctx: SchemaContext): StatementEffects {
  // The parse tree omits false booleans: ANALYZE has no is_vacuumcmd at all, VACUUM has it true. ANALYZE
  // can run in a transaction block; VACUUM cannot (Postgres raises 25001).
  const vacuum = stmt.is_vacuumcmd === true;
  const full = vacuum && booleanOption(stmt.options, "full") === true;
  const tables = (stmt.rels ?? []).map((n) =>
    relationName(nodeBody<VacuumRelation>(n, "VacuumRelation")?.relation),
  );
  const label = !vacuum ? "ANALYZE" : full ? "VACUUM FULL" : "VACUUM";
  const effects = emptyEffects("VacuumStmt", label, tables[0] ?? null);
  effects.transactional = !vacuum;
  for (const table of tables) {
    addLock(effects, ctx, table, full ? "AccessExclusiveLock" : "ShareUpdateExclusiveLock");
    if (full && ctx.isExisting(table)) effects.rewrites.push(table);
  }
  return effects;
}

export function describeCluster(stmt: ClusterStmt, ctx: SchemaContext): StatementEffects {
  const table = relationName(stmt.relation);
  const effects = emptyEffects("ClusterStmt", "CLUSTER", table || null);
  if (table) {
    addLock(effects, ctx, table, "AccessExclusiveLock");
    if (ctx.isExisting(table)) effects.rewrites.push(table);
  } else effects.transactional = false;
  return effects;
}

export function describeReindex(stmt: ReindexStmt, ctx: SchemaContext): StatementEffects {
  const concurrent = booleanOption(stmt.params, "concurrently") === true;
  const kind = (stmt.kind ?? "").replace("REINDEX_OBJECT_", "");
  const name = stmt.relation ? relationName(stmt.relation) : (stmt.name ?? "");
  const exclusionTable = kind === "INDEX" ? ctx.tableOfExclusionIndex(name) : null;
  const table =
    kind === "INDEX" ? (ctx.tableOfIndex(name) ?? exclusionTable) : kind === "TABLE" ? name : null;
  const effects = emptyEffects("ReindexStmt", `REINDEX ${kind}`, table);
  effects.objectKind = objectWords(stmt.kind ?? "");
  if (kind === "INDEX") effects.indexes.push({ index: name, table });
  // Postgres rejects REINDEX INDEX CONCURRENTLY of an exclusion constraint's index, and REINDEX TABLE
  // CONCURRENTLY skips such an index with a warning: neither keeps the statement's meaning.
  if (exclusionTable)
    effects.noConcurrentForm = `${name} is the index of an exclusion constraint, which Postgres cannot rebuild concurrently`;
  else if (kind === "TABLE" && ctx.hasExclusionConstraint(name))
    effects.noConcurrentForm = `${name} has an exclusion constraint, whose index REINDEX TABLE CONCURRENTLY skips`;
  effects.buildsIndex = true;
  effects.concurrent = concurrent;
  effects.transactional = !concurrent && (kind === "INDEX" || kind === "TABLE");
  if (table) addLock(effects, ctx, table, concurrent ? "ShareUpdateExclusiveLock" : "ShareLock");
  // Rebuilding an index reads the whole table, as CREATE INDEX does (pg_stat_get_xact_numscans counts it).
  if (table && ctx.isExisting(table)) effects.scans.push(table);
  // The index itself is locked ACCESS EXCLUSIVE: queries that would plan with it wait too.
  if (kind === "INDEX" && !concurrent) addLock(effects, ctx, name, "AccessExclusiveLock");
  return effects;
}

export function describeRefresh(stmt: RefreshMatViewStmt, ctx: SchemaContext): StatementEffects {
  const view = relationName(stmt.relation);
  const effects = emptyEffects("RefreshMatViewStmt", "REFRESH MATERIALIZED VIEW", view);
  effects.concurrent = stmt.concurrent === true;
  addLock(effects, ctx, view, stmt.concurrent ? "ExclusiveLock" : "AccessExclusiveLock");
  if (!stmt.concurrent && ctx.isExisting(view)) effects.rewrites.push(view);
  // CONCURRENTLY diffs the new contents against the whole view (a full join) under its EXCLUSIVE lock.
  if (stmt.concurrent && ctx.isExisting(view)) effects.scans.push(view);
  // The relations the view reads get ACCESS SHARE (its query runs): known for a view this migration set
  // created, from its definition; for an older view they are not proven.
  const sources = ctx.viewSources(view);
  for (const source of sources ?? []) addLock(effects, ctx, source, "AccessShareLock");
  if (sources === null)
    effects.unmodelled = `the relations materialized view ${view} reads (locked ACCESS SHARE while it refreshes) are not known: it was created before this migration set`;
  return effects;
}
