/**
 * The user-visible catalog of a database, as plain rows to compare: relations, columns (type, default,
 * nullability, identity, generated), constraints (definition, validity, deferral), indexes (definition,
 * validity), functions, triggers, enums with their labels, domains. Objects of the given schemas (the
 * runner's history) and of the system are left out; oids never appear, so two databases compare equal
 * when their schemas are the same.
 */
import type { Sql } from "postgres";

export interface CatalogSnapshot {
  relations: unknown[];
  columns: unknown[];
  constraints: unknown[];
  indexes: unknown[];
  functions: unknown[];
  triggers: unknown[];
  types: unknown[];
}

export async function catalogSnapshot(sql: Sql, excludeSchemas: string[] = []): Promise<CatalogSnapshot> {
  const excluded = ["pg_catalog", "information_schema", "pg_toast", ...excludeSchemas];
  const userSchemas = sql`
    SELECT oid FROM pg_namespace
    WHERE nspname <> ALL (${excluded}) AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast%'`;
  const relations = await sql`
    SELECT c.oid::regclass::text AS name, c.relkind AS kind,
      CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END AS definition
    FROM pg_class c WHERE c.relnamespace IN (${userSchemas}) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c')
    ORDER BY 1`;
  const columns = await sql`
    SELECT a.attrelid::regclass::text AS relation, a.attname AS name,
      format_type(a.atttypid, a.atttypmod) AS type, pg_get_expr(d.adbin, d.adrelid) AS "default",
      a.attnotnull AS "notNull", a.attidentity AS identity, a.attgenerated AS generated,
      co.collname AS collation
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> 0
    WHERE c.relnamespace IN (${userSchemas}) AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c')
      AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY 1, a.attnum`;
  const constraints = await sql`
    SELECT COALESCE(NULLIF(conrelid, 0)::regclass::text, contypid::regtype::text) AS "on", conname AS name,
      contype AS type, pg_get_constraintdef(oid) AS definition, convalidated AS valid,
      condeferrable AS deferrable, condeferred AS deferred, connoinherit AS "noInherit",
      conindid::regclass::text AS "index"
    FROM pg_constraint WHERE connamespace IN (${userSchemas})
    ORDER BY 1, 2`;
  const indexes = await sql`
    SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition,
      i.indisvalid AS valid, i.indisready AS ready, i.indisprimary AS "primary",
      i.indimmediate AS immediate, i.indisreplident AS "replicaIdentity", i.indisclustered AS clustered
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE c.relnamespace IN (${userSchemas})
    ORDER BY 1`;
  const functions = await sql`
    SELECT p.oid::regprocedure::text AS name, p.prokind AS kind, pg_get_function_result(p.oid) AS result,
      md5(p.prosrc) AS body, p.provolatile AS volatility
    FROM pg_proc p WHERE p.pronamespace IN (${userSchemas})
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    ORDER BY 1`;
  const triggers = await sql`
    SELECT t.tgrelid::regclass::text AS relation, t.tgname AS name, pg_get_triggerdef(t.oid) AS definition,
      t.tgenabled AS enabled
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    WHERE c.relnamespace IN (${userSchemas}) AND NOT t.tgisinternal
    ORDER BY 1, 2`;
  const types = await sql`
    SELECT t.oid::regtype::text AS name, t.typtype AS kind,
      (SELECT array_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) AS labels,
      CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS base
    FROM pg_type t WHERE t.typnamespace IN (${userSchemas}) AND t.typtype IN ('e', 'd', 'r', 'm')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e')
    ORDER BY 1`;
  const rows = (list: readonly unknown[]) => list.map((row) => ({ ...(row as object) }));
  return {
    relations: rows(relations),
    columns: rows(columns),
    constraints: rows(constraints),
    indexes: rows(indexes),
    functions: rows(functions),
    triggers: rows(triggers),
    types: rows(types),
  };
}
