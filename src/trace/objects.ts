/**
 * Catalog objects other than relations that steps create and drop: schemas, types, routines, extensions,
 * triggers, constraints, policies, rules and collations, named as Postgres describes them
 * (pg_describe_object: `function f(integer)`, `type mood`, `constraint c on table t`). Left out: what an
 * extension brings (the extension is listed), what Postgres makes as part of another object (a table's
 * row type, array and multirange types, a foreign key's triggers, a view's rule), and NOT NULL
 * constraints (one per column on Postgres 18).
 *
 * New objects are found by oid: Postgres assigns oids from one counter, so an object created after the
 * last read has an oid above every oid seen so far, and the oid index of each catalog finds the few rows
 * above it. A dropped object is found by its lock: dropping an object takes an AccessExclusiveLock on it
 * (and on each object a CASCADE removes), held until commit, and pg_describe_object no longer describes
 * it (Postgres 14+).
 */
import { LAST_SYSTEM_OID } from "../shadow/shadow.js";

/** Catalog objects by `classid:objid` -> description. */
export type CatalogObjects = Map<string, string>;

/** The catalogs, each with what tells an object of its own from a row made as part of another object. */
const CATALOGS: Array<[catalog: string, own: string]> = [
  ["pg_namespace", "true"],
  // Not the row type of a relation, an array type or a multirange type.
  ["pg_type", "typrelid = 0 AND typtype <> 'm' AND NOT (typtype = 'b' AND typcategory = 'A')"],
  ["pg_proc", "true"],
  ["pg_extension", "true"],
  ["pg_trigger", "NOT tgisinternal"],
  ["pg_constraint", "contype <> 'n'"],
  ["pg_policy", "true"],
  ["pg_rewrite", "rulename <> '_RETURN'"],
  ["pg_collation", "true"],
];

/**
 * [classid, objid, description] of every catalog row with an oid above `since` (an SQL expression);
 * the description is null for a row that is part of another object or extension. All rows are returned
 * so that the next read can start above them. The dependency check runs per row (a subplan in the
 * select list), never as a join over the whole of pg_depend.
 */
export function objectsSince(since: string): string {
  const candidates = CATALOGS.map(
    ([catalog, own]) => `SELECT '${catalog}'::regclass AS classid, oid AS objid, ${own} AS own
      FROM ${catalog} WHERE oid > ${since}`,
  ).join("\n    UNION ALL ");
  return `
  SELECT coalesce(json_agg(json_build_array(c.classid::int8, c.objid::int8,
    CASE WHEN c.own AND NOT EXISTS (SELECT FROM pg_depend d
      WHERE d.classid = c.classid AND d.objid = c.objid AND d.deptype IN ('e', 'i'))
    THEN pg_describe_object(c.classid, c.objid, 0) END)), '[]')
  FROM (${candidates}) c`;
}

/**
 * Per catalog, [classid, [oid, ...]] of its user rows that can be objects: which known objects still
 * exist after a step run outside a transaction (whose drops cannot be seen by their locks).
 */
export const OBJECT_OIDS = `json_build_array(${CATALOGS.map(
  ([catalog, own]) =>
    `json_build_array('${catalog}'::regclass::int8,
      (SELECT coalesce(json_agg(oid::int8), '[]') FROM ${catalog} WHERE oid > ${LAST_SYSTEM_OID} AND ${own}))`,
).join(", ")})`;

export type ObjectRow = [classid: number, objid: number, description: string | null];
export type ObjectKeyRow = [classid: number, objid: number];
export type ObjectOidsRow = [classid: number, oids: number[]];

export const objectKey = ([classid, objid]: ObjectKeyRow | ObjectRow) => `${classid}:${objid}`;

/** The `classid:objid` keys of OBJECT_OIDS. */
export function objectKeys(rows: ObjectOidsRow[]): Set<string> {
  return new Set(rows.flatMap(([classid, oids]) => oids.map((oid) => objectKey([classid, oid]))));
}

/** The objects of their own among rows of objectsSince, and the oid the next read starts above. */
export function newObjects(rows: ObjectRow[], since: number): { objects: CatalogObjects; since: number } {
  const objects: CatalogObjects = new Map();
  let highest = since;
  for (const row of rows) {
    highest = Math.max(highest, row[1]);
    if (row[2] !== null) objects.set(objectKey(row), row[2]);
  }
  return { objects, since: highest };
}

/** Descriptions of the objects in `after` and not in `before`. */
export function objectsAddedBetween(before: CatalogObjects, after: CatalogObjects): string[] {
  return [...after].filter(([key]) => !before.has(key)).map(([, description]) => description);
}
