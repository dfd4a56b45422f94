/**
 * What a recipe needs to know of a table, read from the catalog: the same queries on the target database
 * (--database-url) and on the embedded shadow the directory was replayed on. The shadow takes no query
 * parameters, so values are quoted literals.
 */
import { qualified, quoteLiteral } from "../db/ident.js";
import { UsageError } from "../errors.js";
import type { TableRef } from "./names.js";

/** A session that runs one catalog query and returns its rows. */
export interface CatalogReader {
  rows<T>(sql: string): Promise<T[]>;
  /** Where the names were looked up, for messages ("the database", "the migrations in db/"). */
  where: string;
}

export interface TableFacts {
  oid: string;
  schema: string;
  name: string;
  partitioned: boolean;
  columns: ColumnFacts[];
  indexes: IndexFacts[];
  constraints: ConstraintFacts[];
  /** A partitioned table's partitions (`partitioned`: itself partitioned again). */
  partitions: Array<{ schema: string; name: string; partitioned: boolean }>;
  /** Foreign keys of other tables (or this one) that reference a column of this table. */
  referencedBy: Array<{ name: string; table: string; columns: string[] }>;
}

export interface ColumnFacts {
  attnum: number;
  name: string;
  /** format_type: the type as Postgres spells it, with its modifier. */
  type: string;
  notNull: boolean;
  /** The default expression, or null. */
  default: string | null;
  /** A collation other than the type's default, quoted (`"C"`, `"public"."x"`); null otherwise. */
  collation: string | null;
  /** `a` / `d` for identity columns, `s` for stored generated ones, else empty. */
  identity: string;
  generated: string;
  /** The sequence the column owns (a serial), quoted and schema-qualified. */
  ownedSequence: string | null;
}

export interface IndexFacts {
  name: string;
  /** pg_get_indexdef. */
  definition: string;
  /** The attnums it depends on (key columns, expressions, predicate). */
  columns: number[];
  /** The constraint it backs (unique, primary key, exclusion), if any. */
  constraint: string | null;
}

export interface ConstraintFacts {
  name: string;
  /** pg_constraint.contype: c check, f foreign key, u unique, p primary key, x exclusion. */
  type: string;
  /** pg_get_constraintdef. */
  definition: string;
  columns: number[];
  /** The index backing a unique or primary key constraint. */
  index: string | null;
}

const intArray = (value: unknown): number[] =>
  Array.isArray(value)
    ? value.map(Number)
    : String(value ?? "")
        .replace(/[{}]/g, "")
        .split(",")
        .filter(Boolean)
        .map(Number);

/** The table named by `ref`, with its columns, indexes and constraints; a UsageError when there is none. */
export async function readTable(reader: CatalogReader, ref: TableRef, flag: string): Promise<TableFacts> {
  const name = quoteLiteral(qualified(ref.schema, ref.table));
  const [table] = await reader.rows<{ oid: string; schema: string; name: string; relkind: string }>(
    `SELECT c.oid::int8::text AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(${name})`,
  );
  const shown = ref.schema ? `${ref.schema}.${ref.table}` : ref.table;
  if (!table) throw new UsageError(`${flag}: no table ${shown} in ${reader.where}`);
  if (table.relkind !== "r" && table.relkind !== "p")
    throw new UsageError(`${flag}: ${shown} is not a table in ${reader.where}`);
  const oid = table.oid;
  const rawColumns = await reader.rows<
    Omit<ColumnFacts, "collation" | "ownedSequence"> & {
      collationSchema: string | null;
      collationName: string | null;
      ownedSequence: string | null;
    }
  >(
    `SELECT a.attnum::int AS attnum, a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS "notNull", pg_get_expr(d.adbin, d.adrelid) AS default,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN cn.nspname::text END AS "collationSchema",
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN co.collname::text END AS "collationName",
       a.attidentity::text AS identity, a.attgenerated::text AS generated,
       (SELECT json_build_array(sn.nspname, s.relname)::text FROM pg_depend dep
          JOIN pg_class s ON s.oid = dep.objid AND s.relkind = 'S' JOIN pg_namespace sn ON sn.oid = s.relnamespace
          WHERE dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.classid = 'pg_class'::regclass
            AND dep.deptype = 'a' LIMIT 1) AS "ownedSequence"
     FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     LEFT JOIN pg_collation co ON co.oid = a.attcollation LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
     WHERE a.attrelid = ${oid} AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
  );
  const columns: ColumnFacts[] = rawColumns.map(({ collationSchema, collationName, ownedSequence, ...c }) => {
    const sequence = ownedSequence === null ? null : (JSON.parse(ownedSequence) as [string, string]);
    return {
      ...c,
      collation: collationName === null ? null : qualified(collationSchema, collationName),
      ownedSequence: sequence && qualified(sequence[0], sequence[1]),
    };
  });
  const indexes = await reader.rows<IndexFacts & { columns: unknown }>(
    `SELECT ic.relname::text AS name, pg_get_indexdef(i.indexrelid) AS definition,
       ARRAY(SELECT DISTINCT dep.refobjsubid::int FROM pg_depend dep WHERE dep.classid = 'pg_class'::regclass
         AND dep.objid = i.indexrelid AND dep.refobjid = i.indrelid AND dep.refobjsubid > 0) AS columns,
       (SELECT con.conname::text FROM pg_constraint con WHERE con.conindid = i.indexrelid
         AND con.conrelid = i.indrelid LIMIT 1) AS constraint
     FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = ${oid} ORDER BY ic.relname`,
  );
  const constraints = await reader.rows<ConstraintFacts & { columns: unknown }>(
    `SELECT con.conname::text AS name, con.contype::text AS type, pg_get_constraintdef(con.oid) AS definition,
       coalesce(con.conkey::int[], '{}') AS columns,
       CASE WHEN con.contype IN ('u', 'p') THEN (SELECT relname::text FROM pg_class WHERE oid = con.conindid) END AS index
     FROM pg_constraint con WHERE con.conrelid = ${oid} AND con.contype IN ('c', 'f', 'u', 'p', 'x')
     ORDER BY con.conname`,
  );
  const referencedBy = await reader.rows<{ name: string; table: string; columns: unknown }>(
    `SELECT con.conname::text AS name, con.conrelid::regclass::text AS table, con.confkey::int[] AS columns
     FROM pg_constraint con WHERE con.confrelid = ${oid} AND con.contype = 'f' ORDER BY con.conname`,
  );
  const partitions = await reader.rows<{ schema: string; name: string; partitioned: boolean }>(
    `SELECT n.nspname::text AS schema, c.relname::text AS name, c.relkind = 'p' AS partitioned
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE i.inhparent = ${oid} ORDER BY n.nspname, c.relname`,
  );
  return {
    oid,
    schema: table.schema,
    partitions,
    name: table.name,
    partitioned: table.relkind === "p",
    columns,
    indexes: indexes.map((i) => ({ ...i, columns: intArray(i.columns) })),
    constraints: constraints.map((c) => ({ ...c, columns: intArray(c.columns) })),
    referencedBy: referencedBy.map((r) => ({
      ...r,
      columns: intArray(r.columns).map((n) => columns.find((c) => c.attnum === n)?.name ?? String(n)),
    })),
  };
}

export function columnOf(table: TableFacts, column: string, flag: string, where: string): ColumnFacts {
  const found = table.columns.find((c) => c.name === column);
  if (!found)
    throw new UsageError(`${flag}: table ${table.schema}.${table.name} has no column ${column} in ${where}`);
  return found;
}

export function refuseExisting(table: TableFacts, column: string, flag: string): void {
  if (table.columns.some((c) => c.name === column))
    throw new UsageError(`${flag}: table ${table.schema}.${table.name} already has a column ${column}`);
}

/** Whether `type` names a type the schema knows (`numeric(12,2)`, `"My Enum"[]`). */
export async function typeExists(reader: CatalogReader, type: string): Promise<boolean> {
  const [row] = await reader.rows<{ known: boolean }>(
    `SELECT to_regtype(${quoteLiteral(type)}) IS NOT NULL AS known`,
  );
  return row?.known === true;
}
