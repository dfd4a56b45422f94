/**
 * Runs steps on the shadow and records what each statement really did: the relation locks its session
 * took (a pg_locks diff, read inside the step's transaction after each statement), the tables it rewrote
 * (relfilenode), and the relations and other catalog objects it created and dropped.
 */
import { type LockMode, lockStrength } from "../analysis/locks.js";
import { isMigrationError, LAST_SYSTEM_OID, type Shadow, ShadowError } from "../shadow/shadow.js";
import { qualifiedName } from "../sql/ast.js";
import { parseSearchPath } from "../sql/search-path.js";
import { CatalogQueries, type Classes, type HeldLock, parseTransactionState } from "./catalog.js";
import {
  applyState,
  type CatalogState,
  type Changes,
  changesBetween,
  copyState,
  noChanges,
} from "./changes.js";

export interface TracedLock {
  oid: string;
  /** The relation's name before the step (renames show the name traffic used), or its new name. */
  relation: string;
  /** pg_class.relkind ("r" table, "i" index, "S" sequence, ...). */
  relkind: string;
  mode: LockMode;
}

export interface StatementTrace extends Changes {
  /** Locks this statement took that the transaction did not hold yet (or held in a weaker mode). */
  locks: TracedLock[];
}

export interface StepTrace extends Changes {
  /** The step ran to completion on the shadow. */
  traced: boolean;
  /** Why not (null when traced). */
  reason: string | null;
  /** Strongest lock per relation the step's transaction held; null for a step run outside a transaction. */
  locks: TracedLock[] | null;
  /** Per statement of a step run in a transaction; empty outside one (its locks cannot be read back). */
  statements: StatementTrace[];
  /** The migration is wrong: this statement (index into the step's statements) fails on Postgres. */
  failure: Failure | null;
}

/** What the tracer needs of a step. */
export interface TraceableStep {
  statements: string[];
  transactional: boolean;
}

type Failure = { statement: number; error: ShadowError };

const BEGIN = "BEGIN;\n";

/** A relation the model names, as the shadow knows it. */
export interface Resolved {
  oid: string;
  relkind: string;
  /** As the shadow names it (`storage.objects` for the model's `objects` on search_path storage). */
  name: string;
}

export class Tracer {
  readonly shadow: Shadow;
  private readonly catalog: CatalogQueries;
  private state: CatalogState = { classes: new Map(), objects: new Map() };
  /** Catalog objects with an oid above this one are new since the last read. */
  private since = LAST_SYSTEM_OID;
  /** The relations before the last step, to name what it dropped. */
  private previous: Classes = new Map();
  /**
   * Set once a step could not run for a reason of the shadow (an extension it lacks): its schema then
   * differs from what the migrations expect in ways the names cannot tell, so later failures are untraced.
   */
  private incomplete: string | null = null;
  /** The first step that failed because the migration is wrong (`<file>:<line> failing (<message>)`). */
  private cause: string | null = null;
  /** The relations of the failed steps and of their knock-ons (what they left unbuilt), by failure. */
  private readonly unbuilt = new Map<string, string>();
  /** The shadow session's search_path, where the model's unqualified names are looked up. */
  private searchPath: string[] = ["public"];

  constructor(shadow: Shadow) {
    this.shadow = shadow;
    this.catalog = new CatalogQueries(shadow);
  }

  async start(): Promise<void> {
    await this.catalog.prepare();
    await this.readCatalog();
    const [row] = await this.shadow.rows<{ path: string; user: string }>(
      "SELECT current_setting('search_path') AS path, current_user AS user",
    );
    const parsed = parseSearchPath(row?.path ?? "public");
    if ("schemas" in parsed)
      this.searchPath = parsed.schemas.map((s) => (s === "$user" ? (row?.user ?? s) : s));
  }

  private async readCatalog(): Promise<void> {
    const { classes, objects, since } = await this.catalog.snapshot();
    this.state = { classes, objects };
    this.since = Math.max(this.since, since);
  }

  /**
   * A relation named as the model names it, after the last step: by its name before the step (so that a
   * renamed or dropped relation is found), else by its name after it (created by the step).
   */
  resolve(name: string): Resolved | null {
    // The model names a relation of `public` without its schema, as it names one it met unqualified: the
    // latter is found along the search_path, as Postgres finds it.
    const candidates = name.includes(".")
      ? [name]
      : this.searchPath.map((schema) => qualifiedName(schema, name));
    for (const candidate of candidates) {
      for (const classes of [this.previous, this.state.classes]) {
        for (const info of classes.values())
          if (info.name === candidate) return { oid: info.oid, relkind: info.relkind, name: info.name };
      }
    }
    return null;
  }

  /**
   * Runs a step without recording anything (migrations already applied). `where` names it in the
   * reason given to later steps if it fails.
   */
  async replay(step: TraceableStep, where: string, names: string[] = []): Promise<string | null> {
    let failure: string | null = null;
    try {
      // One round trip per step; the newline ends a trailing line comment of a statement.
      if (step.transactional) await this.shadow.exec(step.statements.join("\n;\n"));
      else for (const statement of step.statements) await this.shadow.exec(statement);
    } catch (error) {
      failure = ShadowError.from(error).message;
      // It ran on the real server; here it did not, so what it built is missing for the steps after it.
      this.leftUnbuilt(names, `${where} (applied) failing to replay (${failure})`);
    }
    await this.catalog.after(step.statements);
    return failure;
  }

  /** Ends a replay: the catalog as the next traced step will find it. */
  async replayed(): Promise<void> {
    await this.readCatalog();
  }

  /** `names`: the relations the model says the step creates, alters or drops. */
  async trace(step: TraceableStep, where: string, names: string[] = []): Promise<StepTrace> {
    const before = this.state;
    const result: StepTrace = {
      traced: true,
      reason: null,
      locks: step.transactional ? [] : null,
      ...noChanges(),
      statements: [],
      failure: null,
    };
    const failed = step.transactional ? await this.runInTransaction(step, result) : await this.runAlone(step);
    this.previous = before.classes;
    if (failed) this.recordFailure(result, failed, where, names);
    // For the step as a whole, only what it left: an object it created and dropped again is neither.
    else Object.assign(result, changesBetween(before, this.state));
    return result;
  }

  /** Statements that commit on their own: the catalog is compared before and after (no locks to read). */
  private async runAlone(step: TraceableStep): Promise<Failure | null> {
    let failed: Failure | null = null;
    for (const [index, statement] of step.statements.entries()) {
      try {
        await this.shadow.exec(statement);
      } catch (error) {
        failed = { statement: index, error: ShadowError.from(error) };
        break;
      }
    }
    const fresh = await this.catalog.refresh(step.statements, this.since);
    const objects = new Map([...this.state.objects].filter(([key]) => fresh.present.has(key)));
    for (const [key, description] of fresh.objects) objects.set(key, description);
    this.state = { classes: fresh.classes, objects };
    this.since = fresh.since;
    await this.catalog.after(step.statements);
    return failed;
  }

  /**
   * One transaction: after each statement, the locks it took and what it wrote to the catalog, read
   * before commit. The catalog copy is updated from those reads, so the whole catalog is never read
   * again. Each statement travels with that query (the first with BEGIN, the last with COMMIT): one round
   * trip per statement.
   */
  private async runInTransaction(step: TraceableStep, result: StepTrace): Promise<Failure | null> {
    const current = copyState(this.state);
    let held = new Map<string, HeldLock>();
    const last = step.statements.length - 1;
    for (const [index, statement] of step.statements.entries()) {
      const prefix = index === 0 ? BEGIN : "";
      const suffix = index === last ? ";\nCOMMIT" : "";
      const query = this.catalog.stateQuery(step.statements, this.since);
      try {
        // The newline ends a trailing line comment of the statement.
        const results = await this.shadow.exec(`${prefix}${statement}\n;\n${query}${suffix}`);
        const state = parseTransactionState(results, this.since);
        this.since = state.since;
        result.statements.push({ locks: this.newLocks(held, state.locks), ...applyState(current, state) });
        held = state.locks;
      } catch (error) {
        await this.shadow.exec("ROLLBACK").catch(() => {});
        await this.catalog.after(step.statements);
        return { statement: index, error: ShadowError.from(error).shifted(prefix.length) };
      }
    }
    await this.catalog.after(step.statements);
    // By oid (creation order): pg_locks lists them in the order of its hash table.
    result.locks = [...held.values()]
      .sort((a, b) => Number(a.oid) - Number(b.oid))
      .map((lock) => this.describe(lock));
    this.state = current;
    return null;
  }

  private newLocks(before: Map<string, HeldLock>, after: Map<string, HeldLock>): TracedLock[] {
    const taken: TracedLock[] = [];
    for (const [oid, lock] of after) {
      const previous = before.get(oid);
      if (!previous || lockStrength(lock.mode) > lockStrength(previous.mode)) taken.push(this.describe(lock));
    }
    return taken.sort((a, b) => Number(a.oid) - Number(b.oid));
  }

  /** Names a lock by the catalog before the step (renamed and dropped relations), else as it is now. */
  private describe(lock: HeldLock): TracedLock {
    const known = this.state.classes.get(lock.oid);
    return {
      oid: lock.oid,
      relation: known?.name ?? lock.name ?? `oid ${lock.oid}`,
      relkind: lock.relkind ?? known?.relkind ?? "",
      mode: lock.mode,
    };
  }

  private recordFailure(result: StepTrace, failed: Failure, where: string, names: string[]): void {
    result.traced = false;
    result.locks = null;
    result.statements = [];
    const { error } = failed;
    const cause = this.knockOnOf(names, error);
    if (this.incomplete) {
      result.reason = `not traced: ${this.incomplete}; here: ${error.message}`;
    } else if (cause) {
      result.reason = `not traced: caused by ${cause}; here: ${error.message}`;
      this.leftUnbuilt(names, cause);
    } else if (isMigrationError(error)) {
      result.failure = failed;
      result.reason = `fails on Postgres: ${error.message}`;
      this.leftUnbuilt(names, `${where} failing (${error.message})`);
    } else {
      const hint = this.shadow.engine === "pglite" ? " (--shadow-url traces on a real server)" : "";
      const shadow = this.shadow.engine === "pglite" ? "the embedded shadow (PGlite)" : "the shadow database";
      result.reason = `${shadow} cannot run it: ${error.message}${hint}`;
      this.incomplete = `${where} could not run on the shadow`;
    }
  }

  private leftUnbuilt(names: string[], cause: string): void {
    this.cause ??= cause;
    for (const name of names) if (!this.unbuilt.has(name)) this.unbuilt.set(name, cause);
  }

  /**
   * The earlier failure that explains this one, or null: the failure that left a relation the step
   * touches unbuilt, else the first failure when the step misses an object of a kind the model does not
   * name (a function, type or schema a failed step may have created). Any other failure is the migration's
   * own error.
   */
  private knockOnOf(names: string[], error: ShadowError): string | null {
    for (const name of names) {
      const cause = this.unbuilt.get(name);
      if (cause) return cause;
    }
    return UNNAMED_MISSING.has(error.code) ? this.cause : null;
  }
}

/** undefined_function, undefined_object (types and others), invalid_schema_name. */
const UNNAMED_MISSING = new Set(["42883", "42704", "3F000"]);
