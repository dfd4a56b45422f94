/**
 * Watches a statement while it runs on the runner's connection, from a second connection: who blocks it
 * (pg_blocking_pids, remembered for the retry message, since the wait is gone once lock_timeout fires),
 * how far a concurrent index build is, and, once the run is interrupted, cancelling it until it stops.
 */
import type { Sql } from "../db/connect.js";
import { type Blocker, type BuildProgress, blockersOf, buildProgress } from "../db/introspect.js";

const POLL_MS = 200;
/** The first look comes early: with a short lock_timeout the wait may be over before the first poll. */
const FIRST_POLL_MS = 40;
const PROGRESS_MS = 1000;

export class Watcher {
  /** The sessions that blocked the last watched statement most recently (empty if none was seen). */
  lastBlockers: Blocker[] = [];
  private readonly control: Sql;
  private readonly pid: number;
  private readonly signal: AbortSignal;

  constructor(control: Sql, pid: number, signal: AbortSignal) {
    this.control = control;
    this.pid = pid;
    this.signal = signal;
  }

  async run<T>(
    query: Promise<T>,
    onProgress?: (progress: BuildProgress, elapsedMs: number) => void,
  ): Promise<T> {
    const started = performance.now();
    let busy = false;
    let lastProgress = started;
    const tick = async () => {
      if (busy) return;
      busy = true;
      try {
        if (this.signal.aborted) {
          // Repeated until the statement ends: a cancel that reaches the backend between two statements is lost.
          await this.control`SELECT pg_cancel_backend(${this.pid})`;
          return;
        }
        const blockers = await blockersOf(this.control, this.pid);
        if (blockers.length > 0) this.lastBlockers = blockers;
        const now = performance.now();
        if (onProgress && now - lastProgress >= PROGRESS_MS) {
          lastProgress = now;
          const progress = await buildProgress(this.control, this.pid);
          if (progress) onProgress(progress, now - started);
        }
      } catch {
        // Monitoring is best effort: the statement's own outcome is what counts.
      } finally {
        busy = false;
      }
    };
    let timer: NodeJS.Timeout | undefined;
    const schedule = (ms: number) => {
      timer = setTimeout(() => {
        void tick();
        schedule(POLL_MS);
      }, ms);
    };
    schedule(FIRST_POLL_MS);
    const onAbort = () => void tick();
    this.signal.addEventListener("abort", onAbort);
    try {
      return await query;
    } finally {
      clearTimeout(timer);
      this.signal.removeEventListener("abort", onAbort);
    }
  }
}
