/**
 * Runs steps on the shadow and records what each really did: the relation locks its session took
 * (pg_locks, read inside the step's transaction before commit), the tables it rewrote (relfilenode) and
 * the relations it created and dropped (pg_class before and after).
 */
import type { LockMode } from "../analysis/locks.js";
import {
  addedBetween,
  CatalogQueries,
  type Classes,
  type HeldLock,
  parseTransactionState,
  rewrittenBetween,
  type TransactionState,
} from "./catalog.js";
import { isMigrationError, type Shadow, ShadowError } from "./shadow.js";

export interface TracedLock {
  oid: string;
  /** The relation's name before the step (renames show the name traffic used), or its new name. */
  relation: string;
  /** pg_class.relkind ("r" table, "i" index, "S" sequence, ...). */
  relkind: string;
  mode: LockMode;
}

export interface StepTrace {
  /** The step ran to completion on the shadow. */
  traced: boolean;
  /** Why not (null when traced). */
  reason: string | null;
  /** Strongest lock per relation the step's transaction held; null for a step run outside a transaction. */
  locks: TracedLock[] | null;
  rewrites: string[];
  created: string[];
  dropped: string[];
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

export class Tracer {
  readonly shadow: Shadow;
  private readonly catalog: CatalogQueries;
  private classes: Classes = new Map();
  /** The catalog before the last step, to name what it dropped. */
  private previous: Classes = new Map();
  /** Set once a step could not run: the shadow's schema then differs from what the migrations expect. */
  private incomplete: string | null = null;

  constructor(shadow: Shadow) {
    this.shadow = shadow;
    this.catalog = new CatalogQueries(shadow);
  }

  async start(): Promise<void> {
    await this.catalog.prepare();
    this.classes = await this.catalog.classes();
  }

  /**
   * A relation named as the model names it, after the last step: by its name before the step (so that a
   * renamed or dropped relation is found), else by its name after it (created by the step).
   */
  resolve(name: string): { oid: string; relkind: string } | null {
    for (const classes of [this.previous, this.classes]) {
      for (const info of classes.values())
        if (info.name === name) return { oid: info.oid, relkind: info.relkind };
    }
    return null;
  }

  /**
   * Runs a step without recording anything (migrations already applied). `where` names it in the
   * reason given to later steps if it fails.
   */
  async replay(step: TraceableStep, where: string): Promise<void> {
    try {
      // One round trip per step; the newline ends a trailing line comment of a statement.
      if (step.transactional) await this.shadow.exec(step.statements.join("\n;\n"));
      else for (const statement of step.statements) await this.shadow.exec(statement);
    } catch (error) {
      this.incomplete ??= `${where} failed on the shadow (${ShadowError.from(error).message})`;
    }
    await this.catalog.after(step.statements);
  }

  /** Ends a replay: the catalog as the next traced step will find it. */
  async replayed(): Promise<void> {
    this.classes = await this.catalog.classes();
  }

  async trace(step: TraceableStep, where: string): Promise<StepTrace> {
    const before = this.classes;
    const result: StepTrace = {
      traced: true,
      reason: null,
      locks: step.transactional ? [] : null,
      rewrites: [],
      created: [],
      dropped: [],
      failure: null,
    };
    const failed = step.transactional
      ? await this.runInTransaction(step, result)
      : await this.runAlone(step, result);
    this.previous = before;
    if (failed) this.recordFailure(result, failed, where);
    return result;
  }

  /** Statements that commit on their own: the catalog is compared before and after (no locks to read). */
  private async runAlone(step: TraceableStep, result: StepTrace): Promise<Failure | null> {
    const before = this.classes;
    let failed: Failure | null = null;
    for (const [index, statement] of step.statements.entries()) {
      try {
        await this.shadow.exec(statement);
      } catch (error) {
        failed = { statement: index, error: ShadowError.from(error) };
        break;
      }
    }
    await this.catalog.after(step.statements);
    this.classes = await this.catalog.classes();
    result.rewrites = rewrittenBetween(before, this.classes);
    result.created = addedBetween(before, this.classes);
    result.dropped = addedBetween(this.classes, before);
    return failed;
  }

  /**
   * One transaction: the locks it holds and the pg_class rows it wrote, read once after its last
   * statement and before commit (locks are only released at commit, so they are all still held). The
   * catalog copy is updated from those rows, so the whole catalog is never read again. Each statement is
   * its own round trip (a failure then names its statement); the first travels with BEGIN, the last with
   * the state query and COMMIT.
   */
  private async runInTransaction(step: TraceableStep, result: StepTrace): Promise<Failure | null> {
    const start = this.classes;
    const last = step.statements.length - 1;
    const end = `\n;\n${this.catalog.stateQuery(step.statements)};\nCOMMIT`;
    let state: TransactionState | null = null;
    for (const [index, statement] of step.statements.entries()) {
      const prefix = index === 0 ? BEGIN : "";
      try {
        // The newline before `end` ends a trailing line comment of the statement.
        const results = await this.shadow.exec(`${prefix}${statement}${index === last ? end : ""}`);
        if (index === last) state = parseTransactionState(results);
      } catch (error) {
        await this.shadow.exec("ROLLBACK").catch(() => {});
        await this.catalog.after(step.statements);
        return { statement: index, error: ShadowError.from(error).shifted(prefix.length) };
      }
    }
    await this.catalog.after(step.statements);
    if (!state) return null;
    // In oid (creation) order: the catalog lists rows and locks in the order of its storage.
    const byOid = (a: { oid: string }, b: { oid: string }) => Number(a.oid) - Number(b.oid);
    const classes = new Map(start);
    for (const row of state.changed.sort(byOid)) {
      if (!classes.has(row.oid)) result.created.push(row.name);
      classes.set(row.oid, row);
    }
    const locks = [...state.locks.values()].sort(byOid);
    // A lock on a relation without a pg_class row: the step dropped it (one it created too is left out).
    for (const lock of locks) {
      const known = classes.get(lock.oid);
      if (lock.name === null && known) {
        result.dropped.push(known.name);
        classes.delete(lock.oid);
      }
    }
    result.locks = locks.map((lock) => this.describe(lock));
    this.classes = classes;
    // A relation rewritten twice, or created then rewritten, counts once, and only if it existed before.
    result.rewrites = rewrittenBetween(start, classes);
    return null;
  }

  /** Names a lock by the catalog before the step (renamed and dropped relations), else as it is now. */
  private describe(lock: HeldLock): TracedLock {
    const known = this.classes.get(lock.oid);
    return {
      oid: lock.oid,
      relation: known?.name ?? lock.name ?? `oid ${lock.oid}`,
      relkind: lock.relkind ?? known?.relkind ?? "",
      mode: lock.mode,
    };
  }

  private recordFailure(result: StepTrace, failed: Failure, where: string): void {
    result.traced = false;
    result.locks = null;
    const { error } = failed;
    if (this.incomplete) {
      result.reason = `not traced: ${this.incomplete}; here: ${error.message}`;
    } else if (isMigrationError(error)) {
      result.failure = failed;
      result.reason = `fails on Postgres: ${error.message}`;
      this.incomplete = `${where} failed`;
    } else {
      const hint = this.shadow.engine === "pglite" ? " (--shadow-url traces on a real server)" : "";
      const shadow = this.shadow.engine === "pglite" ? "the embedded shadow (PGlite)" : "the shadow database";
      result.reason = `${shadow} cannot run it: ${error.message}${hint}`;
      this.incomplete = `${where} could not run on the shadow`;
    }
  }
}
