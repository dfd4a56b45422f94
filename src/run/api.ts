/**
 * The runner as a library (for src/index.ts): `up`, `contract`, `rollback`, `status` and `baseline` with the config
 * defaults, events to a callback instead of a terminal, and failures as results rather than exceptions.
 */
import { type Config, DEFAULTS } from "../config/index.js";
import type { LayoutName } from "../migrations/migration.js";
import { baselineMigrations } from "./baseline.js";
import type { Reporter, RunEvent } from "./events.js";
import { failureOf } from "./outcome.js";
import { configuredRunSettings, type RunCommand, runMigrations } from "./runner.js";
import { migrationStatus, type StatusRow } from "./status.js";

export interface RunApiOptions
  extends Partial<
    Pick<
      Config,
      | "historySchema"
      | "lockTimeout"
      | "statementTimeout"
      | "maxRetries"
      | "retryBaseDelay"
      | "retryMaxDelay"
      | "blockerWait"
      | "wait"
      | "smallTableRows"
      | "rules"
      | "strict"
      | "searchPath"
    >
  > {
  dir: string;
  databaseUrl: string;
  layout?: LayoutName;
  /** Apply the safe rewrites (default true). */
  rewrite?: boolean;
  /** Run despite error findings (default false). */
  unsafe?: boolean;
  to?: string;
  onEvent?: Reporter;
  /** Aborting cancels the running statement and rolls it back. */
  signal?: AbortSignal;
}

export interface RunApiResult {
  /** 0 done, 1 failed or stopped by the lint gate, 130 interrupted. */
  exitCode: number;
  applied: number;
  /** The failure's event (error or interrupted), when the run did not finish. */
  failure: RunEvent | null;
}

async function run(command: RunCommand, options: RunApiOptions): Promise<RunApiResult> {
  const config = { ...DEFAULTS, ...options };
  try {
    const result = await runMigrations({
      command,
      dir: options.dir,
      ...(options.layout ? { layout: options.layout } : {}),
      ...(options.to !== undefined ? { to: options.to } : {}),
      databaseUrl: options.databaseUrl,
      ...configuredRunSettings(config),
      rewrite: options.rewrite ?? true,
      unsafe: options.unsafe ?? false,
      report: options.onEvent ?? (() => {}),
      signal: options.signal ?? new AbortController().signal,
      interruption: () => "SIGINT",
    });
    return { exitCode: result.blocked ? 1 : 0, applied: result.applied, failure: null };
  } catch (error) {
    // The runner has reported it (an error or interrupted event, then run-done).
    const failure = failureOf(error);
    if (!failure) throw error;
    return { exitCode: failure.exitCode, applied: 0, failure: failure.event };
  }
}

/** Runs the expand phases of pending migrations. */
export const up = (options: RunApiOptions) => run("up", options);

/** Runs the contract phases of migrations whose expand phase is done. */
export const contract = (options: RunApiOptions) => run("contract", options);

/**
 * Undoes the expand of the newest applied migration (`to`: of every applied one after that version) with
 * its down part (docs/rollback.md).
 */
export const rollback = (options: RunApiOptions) => run("rollback", options);

export function status(options: {
  dir: string;
  databaseUrl: string;
  layout?: LayoutName;
  historySchema?: string;
}): Promise<StatusRow[]> {
  return migrationStatus({ ...options, historySchema: options.historySchema ?? DEFAULTS.historySchema });
}

export function baseline(options: {
  dir: string;
  databaseUrl: string;
  to: string;
  layout?: LayoutName;
  historySchema?: string;
  wait?: number;
}): Promise<{ recorded: string[]; skipped: string[] }> {
  const controller = new AbortController();
  return baselineMigrations({
    dir: options.dir,
    to: options.to,
    ...(options.layout ? { layout: options.layout } : {}),
    databaseUrl: options.databaseUrl,
    historySchema: options.historySchema ?? DEFAULTS.historySchema,
    waitMs: options.wait ?? DEFAULTS.wait,
    report: () => {},
    signal: controller.signal,
    interruption: () => "SIGINT",
  });
}
