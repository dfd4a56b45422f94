/** Retry timing: exponential backoff with full jitter, and a sleep that a signal cuts short. */

export interface BackoffSettings {
  baseMs: number;
  maxMs: number;
}

/** SQLSTATEs worth another attempt: lock_not_available (lock_timeout) and deadlock_detected. */
const RETRYABLE = new Set(["55P03", "40P01"]);

export function isRetryable(error: unknown): boolean {
  return RETRYABLE.has(String((error as { code?: unknown }).code));
}

/**
 * Delay before retry number `attempt` (0 for the first retry): uniform in [0, min(max, base * 2^attempt)].
 * Full jitter spreads runners and application retries apart instead of having them collide again.
 */
export function backoffDelay(
  attempt: number,
  settings: BackoffSettings,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(settings.maxMs, settings.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(random() * ceiling);
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
