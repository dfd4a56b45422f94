/**
 * Waiting out blockers before an attempt, outside the lock queue. A statement that asks for a lock another
 * session holds waits in Postgres's lock queue, and every later request that conflicts with it (the
 * application's reads and writes) queues behind it: with lock_timeout each attempt stalls traffic for up
 * to the whole timeout. So before a step whose lock blocks traffic, the runner looks at pg_locks from its
 * control connection for sessions in long transactions holding a conflicting lock on the step's relations,
 * and while there are any it polls instead of asking (bounded by `blockerWait` over all attempts of the
 * step). Short transactions are left alone: they end on their own within the threshold, and ordinary
 * traffic always holds some lock.
 */
import { blocksTraffic, conflicts, isLockMode, type LockMode } from "../analysis/locks.js";
import type { Sql } from "../db/connect.js";
import { type HeldLockSession, heldLocks } from "../db/introspect.js";
import type { Step } from "../steps/step.js";
import type { Reporter, StepRef } from "./events.js";
import { sleep } from "./retry.js";

/** Transactions open for less than this are not waited for: the application's own end in milliseconds. */
export const BLOCKER_AGE_MS = 100;
/** How often the holders are looked at again while waiting. */
const POLL_MS = 50;

export class BlockerWait {
  private readonly control: Sql;
  private readonly pid: number;
  private readonly signal: AbortSignal;
  private readonly report: Reporter;

  /** `control`: a connection other than the runner's; `pid`: the runner's backend, never a blocker. */
  constructor(control: Sql, pid: number, signal: AbortSignal, report: Reporter) {
    this.control = control;
    this.pid = pid;
    this.signal = signal;
    this.report = report;
  }

  /**
   * Returns once no long transaction holds a lock that conflicts with the step's traffic-blocking locks, or
   * after `limitMs`, or on interruption; resolves to the time waited. Reports `step-wait` each time the set
   * of blockers changes and `step-wait-done` at the end (only when it waited). Looking is best effort: a
   * failed look ends the wait and the attempt goes ahead under lock_timeout as without it.
   */
  async clear(step: Step, ref: StepRef, limitMs: number): Promise<number> {
    const wanted = new Map<string, LockMode[]>();
    for (const lock of step.locks) {
      if (!blocksTraffic(lock.mode)) continue;
      wanted.set(lock.relation, [...(wanted.get(lock.relation) ?? []), lock.mode]);
    }
    if (limitMs <= 0 || wanted.size === 0) return 0;
    const started = performance.now();
    let seen = "";
    for (;;) {
      const waitedMs = performance.now() - started;
      let blockers: HeldLockSession[];
      try {
        blockers = conflicting(await heldLocks(this.control, [...wanted.keys()], BLOCKER_AGE_MS, this.pid));
      } catch {
        blockers = [];
      }
      const exhausted = waitedMs >= limitMs;
      if (blockers.length === 0 || exhausted || this.signal.aborted) {
        if (seen !== "") this.report({ ...ref, event: "step-wait-done", waitedMs, exhausted });
        return waitedMs;
      }
      const pids = blockers.map((b) => b.pid).join(",");
      if (pids !== seen) {
        seen = pids;
        this.report({ ...ref, event: "step-wait", blockers, waitedMs, limitMs });
      }
      await sleep(Math.min(POLL_MS, limitMs - waitedMs), this.signal);
    }

    function conflicting(held: HeldLockSession[]): HeldLockSession[] {
      const found = new Map<number, HeldLockSession>();
      for (const h of held) {
        const modes = wanted.get(h.relation) ?? [];
        if (!isLockMode(h.mode) || found.has(h.pid)) continue;
        const mode = h.mode;
        if (modes.some((m) => conflicts(m, mode))) found.set(h.pid, h);
      }
      return [...found.values()];
    }
  }
}
