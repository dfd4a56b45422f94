/**
 * What the tracer reads from the shadow's catalog: its own session's relation locks (pg_locks), the user
 * relations with their relfilenode (a new relfilenode means the relation was rewritten), and the other
 * catalog objects (./objects.ts).
 *
 * Cost matters (a plan traces hundreds of statements): each query returns one JSON text value, since
 * decoding rows one by one is what dominates on PGlite; inside a transaction only the pg_class rows of
 * the relations the session locks are read, not the whole catalog; and the queries are prepared once
 * per session (CatalogQueries).
 */
import { LOCK_MODES, type LockMode, lockStrength } from "../analysis/locks.js";
import { displayNameSql } from "../db/ident.js";
import { LAST_SYSTEM_OID, type Shadow } from "../shadow/shadow.js";
import {
  type CatalogObjects,
  newObjects,
  OBJECT_OIDS,
  type ObjectKeyRow,
  type ObjectOidsRow,
  type ObjectRow,
  objectKey,
  objectKeys,
  objectsSince,
} from "./objects.js";

/** pg_class.relkind of tables, partitioned tables, views, materialized views and foreign tables. */
export const TABLE_LIKE = new Set(["r", "p", "v", "m", "f"]);
/** Relations with storage of their own that a rewrite replaces. */
const REWRITABLE = new Set(["r", "m"]);

/** Display names: schema-qualified only where the schema is not public (as the static model names them). */
const DISPLAY_NAME = displayNameSql("c", "n");

/** [oid, relkind, relfilenode, name] of pg_class rows matching `where` (user relations, no TOAST). */
const classRows = (where: string) => `
  SELECT coalesce(json_agg(json_build_array(c.oid::int8, c.relkind, c.relfilenode::int8, ${DISPLAY_NAME})), '[]')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.oid > ${LAST_SYSTEM_OID} AND c.relkind <> 't' AND n.nspname NOT LIKE 'pg\\_%' AND ${where}`;

// User objects have oids above LAST_SYSTEM_OID: this leaves out every system catalog. One scan of the
// session's locks gives both kinds: relation locks with the relation as it is now (no pg_class row: the
// transaction dropped it), and the objects it locked that no longer exist (./objects.ts).
const LOCKS = `
  SELECT json_build_array(
    coalesce(json_agg(json_build_array(l.relation::int8, l.mode, c.relkind, c.relfilenode::int8,
      ${DISPLAY_NAME})) FILTER (WHERE l.locktype = 'relation'), '[]'),
    coalesce(json_agg(json_build_array(l.classid::int8, l.objid::int8)) FILTER (WHERE l.locktype = 'object'
      AND pg_describe_object(l.classid, l.objid, 0) IS NULL), '[]'))
  FROM pg_locks l
  LEFT JOIN pg_class c ON l.locktype = 'relation' AND c.oid = l.relation
  LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE l.granted AND l.pid = pg_backend_pid()
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND ((l.locktype = 'relation' AND l.relation > ${LAST_SYSTEM_OID}
        AND (c.oid IS NULL OR (c.relkind <> 't' AND n.nspname NOT LIKE 'pg\\_%')))
      OR (l.locktype = 'object' AND l.objid > ${LAST_SYSTEM_OID}))`;

/** Every user relation and catalog object (one query, outside or inside a transaction). */
const SNAPSHOT_SQL = `SELECT json_build_array((${classRows("true")}),
  (${objectsSince(String(LAST_SYSTEM_OID))}))::text AS sm_json`;

/**
 * Sent after each statement of a traced transaction, in the same round trip (see parseTransactionState):
 * the session's locks, and the catalog rows with an oid above `since`. Every relation a transaction
 * creates, rewrites, renames or drops is one it holds a lock on, so the locked relations' pg_class rows
 * are all of pg_class it needs to read.
 */
const stateSql = (since: string) =>
  `SELECT json_build_array((${LOCKS}), (${objectsSince(since)}))::text AS sm_json`;

/** After a step outside a transaction: every user relation, which objects exist, and the new ones. */
const refreshSql = (since: string) => `SELECT json_build_array((${classRows("true")}), ${OBJECT_OIDS},
  (${objectsSince(since)}))::text AS sm_json`;

/** The JSON value of the catalog query among the results of a batch. */
function jsonResult<T>(results: unknown[][]): T {
  const row = results.flat().find((r) => typeof (r as { sm_json?: unknown })?.sm_json === "string");
  if (!row) throw new Error("the shadow returned no catalog state");
  return JSON.parse((row as { sm_json: string }).sm_json) as T;
}

export interface RelationInfo {
  oid: string;
  name: string;
  relkind: string;
  filenode: string;
}

export type Classes = Map<string, RelationInfo>;

export interface HeldLock {
  oid: string;
  /** Null when the relation no longer exists (dropped in this transaction). */
  name: string | null;
  relkind: string | null;
  mode: LockMode;
}

type ClassRow = [number, string, number, string];
type LockRow = [
  oid: number,
  mode: string,
  relkind: string | null,
  filenode: number | null,
  name: string | null,
];

function toClasses(rows: ClassRow[]): RelationInfo[] {
  return rows.map(([oid, relkind, filenode, name]) => ({
    oid: String(oid),
    relkind,
    filenode: String(filenode),
    name,
  }));
}

/** DEALLOCATE and DISCARD drop a session's prepared statements. */
const DROPS_PREPARED = /\b(deallocate|discard)\b/i;

/** Numbers the prepared queries: one shadow session can serve several tracers (tests reuse one). */
let generations = 0;

/**
 * Runs a prepared query with the generic plan, planned once: with a parameter, Postgres would plan each
 * execution for its value (measured: 4 times the cost), and the generic plan already uses the oid
 * indexes. Only for this query: the migrations' own plans are left as a server would make them (RESET
 * returns to the server's setting, which a migration that sets plan_cache_mode itself would lose).
 */
const generic = (execute: string) =>
  `SET plan_cache_mode = force_generic_plan;\n${execute};\nRESET plan_cache_mode`;

/**
 * The tracer's catalog queries, prepared once in its session: parsing and planning them is most of
 * their cost on PGlite. A step that may drop prepared statements (DEALLOCATE, DISCARD) reads the catalog
 * with the queries' text, and they are prepared again under new names after it.
 */
export class CatalogQueries {
  private readonly shadow: Shadow;
  private generation = 0;
  private prepared = false;

  constructor(shadow: Shadow) {
    this.shadow = shadow;
  }

  private name(query: "state" | "refresh" | "snapshot"): string {
    return `safemigrate_${query}_${this.generation}`;
  }

  /** Prepares the queries (outside a transaction, so that they outlive the first step). */
  async prepare(): Promise<void> {
    this.generation = ++generations;
    await this.shadow.exec(
      [
        `PREPARE ${this.name("state")}(oid) AS ${stateSql("$1")}`,
        `PREPARE ${this.name("refresh")}(oid) AS ${refreshSql("$1")}`,
        `PREPARE ${this.name("snapshot")} AS ${SNAPSHOT_SQL}`,
      ].join(";\n"),
    );
    this.prepared = true;
  }

  private usable(statements: string[]): boolean {
    return this.prepared && !statements.some((s) => DROPS_PREPARED.test(s));
  }

  /**
   * The query reading a transaction's state, to send after a statement of `statements`, with the
   * catalog rows above oid `since` (see parseTransactionState).
   */
  stateQuery(statements: string[], since: number): string {
    return this.usable(statements)
      ? generic(`EXECUTE ${this.name("state")}(${since})`)
      : stateSql(`${since}::oid`);
  }

  /** Prepares the queries again if `statements` (a step that has run) may have dropped them. */
  async after(statements: string[]): Promise<void> {
    if (this.prepared && !this.usable(statements)) await this.prepare();
  }

  /** After a step of `statements` run outside a transaction: relations, and objects gone and new. */
  async refresh(statements: string[], since: number): Promise<CatalogRefresh> {
    const sql = this.usable(statements)
      ? generic(`EXECUTE ${this.name("refresh")}(${since})`)
      : refreshSql(`${since}::oid`);
    const [classRows, objectOids, objectRows] = jsonResult<[ClassRow[], ObjectOidsRow[], ObjectRow[]]>(
      await this.shadow.exec(sql),
    );
    return {
      classes: new Map(toClasses(classRows).map((r) => [r.oid, r])),
      present: objectKeys(objectOids),
      ...newObjects(objectRows, since),
    };
  }

  /** Every user relation and catalog object, described. */
  async snapshot(): Promise<CatalogSnapshot> {
    const sql = this.prepared ? `EXECUTE ${this.name("snapshot")}` : SNAPSHOT_SQL;
    const [classRows, objectRows] = jsonResult<[ClassRow[], ObjectRow[]]>(await this.shadow.exec(sql));
    return {
      classes: new Map(toClasses(classRows).map((r) => [r.oid, r])),
      ...newObjects(objectRows, LAST_SYSTEM_OID),
    };
  }
}

export interface CatalogSnapshot {
  classes: Classes;
  objects: CatalogObjects;
  /** Catalog rows above this oid are new since this read. */
  since: number;
}

export interface CatalogRefresh extends CatalogSnapshot {
  /** `classid:objid` of every row of the object catalogs that can be an object. */
  present: Set<string>;
}

export interface TransactionState {
  /** Relation locks the session holds, strongest mode per relation. */
  locks: Map<string, HeldLock>;
  /** The pg_class rows of the relations it holds locks on (the ones that still exist). */
  locked: RelationInfo[];
  /** Catalog objects created since the oid the query was sent with. */
  objects: CatalogObjects;
  /** Catalog rows above this oid are new since this read. */
  since: number;
  /** `classid:objid` of objects the transaction dropped. */
  droppedObjects: string[];
}

/**
 * The result of the state query among the results of a batch: the transaction's locks and what it
 * wrote, with `since` the oid the query was sent with.
 */
export function parseTransactionState(results: unknown[][], since: number): TransactionState {
  const [[lockRows, dropped], objectRows] = jsonResult<[[LockRow[], ObjectKeyRow[]], ObjectRow[]]>(results);
  const locks = new Map<string, HeldLock>();
  const locked = new Map<string, RelationInfo>();
  for (const [oid, mode, relkind, filenode, name] of lockRows) {
    const key = String(oid);
    if (relkind !== null && name !== null)
      locked.set(key, { oid: key, relkind, filenode: String(filenode), name });
    if (!(LOCK_MODES as readonly string[]).includes(mode)) continue;
    const previous = locks.get(key);
    if (!previous || lockStrength(mode as LockMode) > lockStrength(previous.mode))
      locks.set(key, { oid: key, name, relkind, mode: mode as LockMode });
  }
  return {
    locks,
    locked: [...locked.values()],
    ...newObjects(objectRows, since),
    // In oid (creation) order: pg_locks lists them in the order of its hash table.
    droppedObjects: dropped.sort((a, b) => a[1] - b[1]).map(objectKey),
  };
}

/** A relation kept its oid and got a new relfilenode: its data was rewritten. */
export function isRewrite(before: RelationInfo | undefined, after: RelationInfo): boolean {
  return (
    before !== undefined &&
    REWRITABLE.has(before.relkind) &&
    before.filenode !== "0" &&
    after.filenode !== before.filenode
  );
}

/** Tables that existed in `before` and have another relfilenode in `after`. */
export function rewrittenBetween(before: Classes, after: Classes): string[] {
  const rewritten: string[] = [];
  for (const [oid, now] of after) if (isRewrite(before.get(oid), now)) rewritten.push(now.name);
  return rewritten;
}

/** Names of relations in `after` and not in `before` (by oid, so a rename is neither). */
export function addedBetween(before: Classes, after: Classes): string[] {
  return [...after.values()].filter((r) => !before.has(r.oid)).map((r) => r.name);
}
