/** `plan` for the programmatic API (src/index.ts): options as plain values, the JSON contract back. */
import type { RuleSetting } from "../analysis/lint.js";
import type { LayoutName } from "../migrations/model.js";
import { plan as runPlan } from "./plan.js";
import { type PlanReport, planReport } from "./report.js";

export interface PlanApiOptions {
  layout?: LayoutName;
  /** Apply the safe rewrites (default true). */
  rewrite?: boolean;
  /** Postgres major to apply the rules for without a database (default 14). */
  pgVersion?: number;
  rules?: Record<string, RuleSetting>;
  /** Plan only what is pending there, with live context (read-only). */
  databaseUrl?: string;
  historySchema?: string;
  /** Trace on this empty, disposable database instead of the embedded PGlite. */
  shadowUrl?: string;
  /** Run the shadow trace (default true). */
  trace?: boolean;
}

/**
 * Plans the pending migrations of a directory (or one file): every migration when no database is given.
 * Bad input (a missing path, a bad URL, a non-empty shadow database) throws a `UsageError`.
 */
export async function plan(path: string, options: PlanApiOptions = {}): Promise<PlanReport> {
  return planReport(await runPlan({ path, ...options }));
}
