/** `plan` for the programmatic API (src/index.ts): options as plain values, the JSON contract back. */
import { type PlanOptions, plan as runPlan } from "./plan.js";
import { type PlanReport, planReport } from "./report.js";

export type PlanApiOptions = Pick<
  PlanOptions,
  | "layout"
  | "rewrite"
  | "pgVersion"
  | "rules"
  | "databaseUrl"
  | "historySchema"
  | "shadowUrl"
  | "trace"
  | "strict"
  | "rollback"
  | "to"
  | "statsFile"
  | "statsMaxAge"
  | "searchPath"
>;

/**
 * Plans the pending migrations of a directory (or one file, or `-`: the text `options.stdin`): every
 * migration when no database is given. Bad input (a missing path, a bad URL, a non-empty shadow database)
 * throws a `UsageError`.
 */
export async function plan(
  path: string,
  options: PlanApiOptions & { stdin?: string } = {},
): Promise<PlanReport> {
  const { stdin, ...rest } = options;
  return planReport(await runPlan({ path, ...rest, readStdin: async () => stdin ?? "" }));
}
