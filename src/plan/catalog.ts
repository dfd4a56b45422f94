/**
 * What the tracer reads from the shadow's catalog: its own session's relation locks (pg_locks) and the
 * user relations with their relfilenode (a new relfilenode means the relation was rewritten).
 *
 * Cost matters (a plan traces hundreds of steps): each query returns one JSON text value, since decoding
 * rows one by one is what dominates on PGlite; inside a transaction only the pg_class rows the
 * transaction itself wrote (xmin) are read, not the whole catalog; and both queries are prepared once per
 * session (CatalogQueries).
 */
import { LOCK_MODES, type LockMode, lockStrength } from "../analysis/locks.js";
import type { Shadow } from "./shadow.js";

/** pg_class.relkind of tables, partitioned tables, views, materialized views and foreign tables. */
export const TABLE_LIKE = new Set(["r", "p", "v", "m", "f"]);
/** Relations with storage of their own that a rewrite replaces. */
const REWRITABLE = new Set(["r", "m"]);

/** Display names: schema-qualified only where the schema is not public (as the static model names them). */
const DISPLAY_NAME = `CASE WHEN n.nspname = 'public' THEN c.relname::text ELSE n.nspname || '.' || c.relname END`;

/** [oid, relkind, relfilenode, name] of pg_class rows matching `where` (user relations, no TOAST). */
const classRows = (where: string) => `
  SELECT coalesce(json_agg(json_build_array(c.oid::int8, c.relkind, c.relfilenode::int8, ${DISPLAY_NAME})), '[]')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.oid >= 16384 AND c.relkind <> 't' AND n.nspname NOT LIKE 'pg\\_%' AND ${where}`;

// User objects have oids from 16384 (FirstNormalObjectId): this leaves out every system catalog. A lock
// on a relation without a pg_class row is one this transaction dropped.
const LOCKS = `
  SELECT coalesce(json_agg(json_build_array(l.relation::int8, l.mode, c.relkind, ${DISPLAY_NAME})), '[]')
  FROM pg_locks l
  LEFT JOIN pg_class c ON c.oid = l.relation
  LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE l.locktype = 'relation' AND l.granted AND l.pid = pg_backend_pid() AND l.relation >= 16384
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

const CLASSES_SQL = `SELECT (${classRows("true")})::text AS json`;
/** Sent at the end of a traced transaction, before COMMIT, in the same round trip (see parseTransactionState). */
const STATE_SQL = `SELECT json_build_array((${LOCKS}),
  (${classRows("c.xmin = (SELECT pg_current_xact_id_if_assigned()::xid)")}))::text AS sm_state`;

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
type LockRow = [number, string, string | null, string | null];

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
 * The tracer's two catalog queries, prepared once in its session: parsing and planning them is half
 * their cost on PGlite (measured: 1.3 ms to 0.64 ms per state read). A step that may drop prepared
 * statements (DEALLOCATE, DISCARD) reads the catalog with the queries' text, and they are prepared again
 * under new names after it.
 */
export class CatalogQueries {
  private readonly shadow: Shadow;
  private generation = 0;
  private prepared = false;

  constructor(shadow: Shadow) {
    this.shadow = shadow;
  }

  private name(query: "state" | "classes"): string {
    return `safemigrate_${query}_${this.generation}`;
  }

  /** Prepares the queries (outside a transaction, so that they outlive the first step). */
  async prepare(): Promise<void> {
    this.generation = ++generations;
    await this.shadow.exec(
      `PREPARE ${this.name("state")} AS ${STATE_SQL};\nPREPARE ${this.name("classes")} AS ${CLASSES_SQL}`,
    );
    this.prepared = true;
  }

  private usable(statements: string[]): boolean {
    return this.prepared && !statements.some((s) => DROPS_PREPARED.test(s));
  }

  /** The query reading a transaction's state, to send after `statements` (see parseTransactionState). */
  stateQuery(statements: string[]): string {
    return this.usable(statements) ? `EXECUTE ${this.name("state")}` : STATE_SQL;
  }

  /** Prepares the queries again if `statements` (a step that has run) may have dropped them. */
  async after(statements: string[]): Promise<void> {
    if (this.prepared && !this.usable(statements)) await this.prepare();
  }

  /** Every user relation (one query, outside or inside a transaction). */
  async classes(): Promise<Classes> {
    const sql = this.prepared ? `EXECUTE ${this.name("classes")}` : CLASSES_SQL;
    const [row] = await this.shadow.rows<{ json: string }>(sql);
    const rows = toClasses(JSON.parse(row?.json ?? "[]") as ClassRow[]);
    return new Map(rows.map((r) => [r.oid, r]));
  }
}

export interface TransactionState {
  /** Relation locks the session holds, strongest mode per relation. */
  locks: Map<string, HeldLock>;
  /** pg_class rows the open transaction created or changed. */
  changed: RelationInfo[];
}

/** The result of the state query among the results of a batch: the transaction's locks and the relations it wrote. */
export function parseTransactionState(results: unknown[][]): TransactionState {
  const row = results.flat().find((r) => typeof (r as { sm_state?: unknown })?.sm_state === "string");
  if (!row) throw new Error("the shadow returned no catalog state");
  const [lockRows, classRows] = JSON.parse((row as { sm_state: string }).sm_state) as [LockRow[], ClassRow[]];
  const locks = new Map<string, HeldLock>();
  for (const [oid, mode, relkind, name] of lockRows) {
    if (!(LOCK_MODES as readonly string[]).includes(mode)) continue;
    const key = String(oid);
    const previous = locks.get(key);
    if (!previous || lockStrength(mode as LockMode) > lockStrength(previous.mode))
      locks.set(key, { oid: key, name, relkind, mode: mode as LockMode });
  }
  return { locks, changed: toClasses(classRows) };
}

/** A relation kept its oid and got a new relfilenode: its data was rewritten. */
function isRewrite(before: RelationInfo | undefined, after: RelationInfo): boolean {
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
