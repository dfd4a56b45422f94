/**
 * Which findings the runner resolves, and how: the one answer for `up`'s lint gate (such a finding does
 * not stop the run), for `plan` and for `lint` with `runner: safemigrate` (such a finding is `info`, its
 * message saying what the statement runs as). The answer comes from the steps the runner builds.
 */
import type { AnalyzedFile } from "../analysis/analyze.js";
import type { LintOptions, RunnerResolver } from "../analysis/lint.js";
import type { AnalyzedStatement } from "../analysis/model.js";
import type { Phase } from "../sql/directives.js";
import type { Step } from "./step.js";
import { buildSteps } from "./steps.js";

/**
 * How the runner resolves `rule`'s finding about `statement`, in words ("runs as CREATE INDEX
 * CONCURRENTLY, outside a transaction"); null when it does not. A statement that will run, built from
 * this statement, resolves the rule (a step's other statements do not count: they may come from
 * statements whose rewrite was dropped); an explicit BEGIN or COMMIT is dropped by the runner.
 */
export function runnerResolution(rule: string, statement: AnalyzedStatement, steps: Step[]): string | null {
  const control = statement.effects.transactionControl;
  if (rule === "transaction-nesting" && (control === "begin" || control === "commit"))
    return "is dropped: safemigrate opens and commits the transactions itself";
  const own = (step: Step) => (step.origins ?? []).filter((o) => o.start === statement.sql.start);
  const route = steps.filter((step) => own(step).length > 0);
  const resolves = route.some((step) =>
    own(step).some((o) => (o.resolves as readonly string[]).includes(rule)),
  );
  if (!resolves) return null;
  const parts = route.map((step) => {
    const origins = own(step);
    const actions = origins.map((o) => o.action).join(" and ");
    const alone = origins.length === step.statements.length;
    const where = !step.transactional
      ? "outside a transaction"
      : alone
        ? `in a transaction of ${origins.length === 1 ? "its" : "their"} own`
        : null;
    return where ? `${actions}, ${where}` : actions;
  });
  return `runs as ${parts.join("; then ")}`;
}

/**
 * Lint options for migrations that safemigrate runs: findings its steps resolve become `info`, and
 * `missing-lock-timeout` is off (the runner sets lock_timeout itself) unless a setting names it.
 */
export function runnerLintOptions(options: LintOptions, rewrite: boolean): LintOptions {
  return {
    ...options,
    rules: { "missing-lock-timeout": "off", ...options.rules },
    resolvedBy: runnerResolver(options.pgVersion, rewrite),
  };
}

/** Resolutions against the steps `up` would build for each file and phase, built once, when first asked. */
function runnerResolver(pgVersion: number, rewrite: boolean): RunnerResolver {
  const built = new WeakMap<AnalyzedFile, Map<Phase, Step[]>>();
  return (file, statement, rule) => {
    const phases = built.get(file) ?? new Map<Phase, Step[]>();
    built.set(file, phases);
    let steps = phases.get(statement.phase);
    if (!steps) {
      steps = buildSteps(file, { rewrite, phase: statement.phase, pgVersion });
      phases.set(statement.phase, steps);
    }
    return runnerResolution(rule, statement, steps);
  };
}
