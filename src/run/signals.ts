/**
 * SIGINT / SIGTERM during a run: abort (the executor cancels the running statement and rolls back, the
 * session releases the advisory lock), then exit 130 / 143. Should cleanup hang, the process exits anyway
 * shortly before 2 s: closing the connection ends the session, which releases its locks in Postgres too.
 * A second signal exits at once.
 */
export type RunSignal = "SIGINT" | "SIGTERM";

export const SIGNAL_EXIT: Record<RunSignal, number> = { SIGINT: 130, SIGTERM: 143 };

export interface SignalTrap {
  signal: AbortSignal;
  /** The signal received (SIGINT before any). */
  received(): RunSignal;
  dispose(): void;
}

const FORCED_EXIT_MS = 1800;

export function trapSignals(): SignalTrap {
  const controller = new AbortController();
  let received: RunSignal | null = null;
  const handler = (signal: RunSignal) => {
    if (received) process.exit(SIGNAL_EXIT[received]);
    received = signal;
    controller.abort();
    setTimeout(() => process.exit(SIGNAL_EXIT[signal]), FORCED_EXIT_MS).unref();
  };
  const onInt = () => handler("SIGINT");
  const onTerm = () => handler("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  return {
    signal: controller.signal,
    received: () => received ?? "SIGINT",
    dispose() {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
    },
  };
}
