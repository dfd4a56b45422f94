/**
 * Runs steps on the shadow and records what each really did: the relation locks its session took
 * (pg_locks, read inside the step's transaction before commit), the tables it rewrote (relfilenode) and
 * the relations it created and dropped (pg_class before and after).
 */
import { type LockMode, lockStrength } from "../analysis/locks.js";
import {
  addedBetween,
  type Classes,
  type HeldLock,
  isRewrite,
  parseTransactionState,
  readClasses,
  rewrittenBetween,
  STATE_SQL,
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

export interface StatementTrace {
  /** Locks this statement took that the transaction did not hold yet (or held in a weaker mode). */
  locks: TracedLock[];
  rewrites: string[];
  created: string[];
  dropped: string[];
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

export class Tracer {
  readonly shadow: Shadow;
  private classes: Classes = new Map();
  /** The catalog before the last step, to name what it dropped. */
  private previous: Classes = new Map();
  /** Set once a step could not run: the shadow's schema then differs from what the migrations expect. */
  private incomplete: string | null = null;

  constructor(shadow: Shadow) {
    this.shadow = shadow;
  }

  async start(): Promise<void> {
    this.classes = await readClasses(this.shadow);
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
  }

  /** Ends a replay: the catalog as the next traced step will find it. */
  async replayed(): Promise<void> {
    this.classes = await readClasses(this.shadow);
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
      statements: [],
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
        result.statements.push({ locks: [], rewrites: [], created: [], dropped: [] });
      } catch (error) {
        failed = { statement: index, error: ShadowError.from(error) };
        break;
      }
    }
    this.classes = await readClasses(this.shadow);
    result.rewrites = rewrittenBetween(before, this.classes);
    result.created = addedBetween(before, this.classes);
    result.dropped = addedBetween(this.classes, before);
    return failed;
  }

  /**
   * One transaction: after each statement, the locks it took and the pg_class rows it wrote, read before
   * commit. The catalog copy is updated from those rows, so the whole catalog is never read again. Each
   * statement travels with that query (and the first with BEGIN, the last with COMMIT): one round trip per
   * statement.
   */
  private async runInTransaction(step: TraceableStep, result: StepTrace): Promise<Failure | null> {
    const start = this.classes;
    const classes = new Map(start);
    let held = new Map<string, HeldLock>();
    const last = step.statements.length - 1;
    for (const [index, statement] of step.statements.entries()) {
      const prefix = index === 0 ? BEGIN : "";
      const suffix = index === last ? ";\nCOMMIT" : "";
      let state: TransactionState;
      try {
        // The newline ends a trailing line comment of the statement.
        state = parseTransactionState(
          await this.shadow.exec(`${prefix}${statement}\n;\n${STATE_SQL}${suffix}`),
        );
      } catch (error) {
        await this.shadow.exec("ROLLBACK").catch(() => {});
        return { statement: index, error: ShadowError.from(error).shifted(prefix.length) };
      }
      const trace: StatementTrace = {
        locks: this.newLocks(held, state.locks),
        rewrites: [],
        created: [],
        dropped: [],
      };
      for (const row of state.changed) {
        const known = classes.get(row.oid);
        if (!known) trace.created.push(row.name);
        else if (isRewrite(known, row)) trace.rewrites.push(row.name);
        classes.set(row.oid, row);
      }
      for (const lock of state.locks.values()) {
        const known = classes.get(lock.oid);
        if (lock.name === null && known) {
          trace.dropped.push(known.name);
          classes.delete(lock.oid);
        }
      }
      result.statements.push(trace);
      held = state.locks;
    }
    result.locks = [...held.values()].map((lock) => this.describe(lock));
    this.classes = classes;
    for (const s of result.statements) {
      result.created.push(...s.created);
      result.dropped.push(...s.dropped);
    }
    // A relation rewritten twice, or created then rewritten, counts once, and only if it existed before.
    result.rewrites = rewrittenBetween(start, classes);
    return null;
  }

  private newLocks(before: Map<string, HeldLock>, after: Map<string, HeldLock>): TracedLock[] {
    const taken: TracedLock[] = [];
    for (const [oid, lock] of after) {
      const previous = before.get(oid);
      if (!previous || lockStrength(lock.mode) > lockStrength(previous.mode)) taken.push(this.describe(lock));
    }
    return taken;
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
