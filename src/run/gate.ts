/**
 * The lint gate: before anything runs, the pending migrations' error findings decide whether the run may
 * start. A finding passes when a safe rewrite that will run resolves it, when it is a lock or rewrite
 * finding whose relations are small in the target database (fewer rows than smallTableRows, or not created
 * yet), or when the run is `--unsafe`. Compatibility findings never depend on size: an empty table's
 * column is still read by the running application.
 */
import type { FileResult, Finding } from "../analysis/lint.js";
import type { AnalyzedStatement } from "../analysis/model.js";
import { allSmall, SIZE_DEPENDENT } from "../plan/small-tables.js";
import type { Phase } from "../sql/directives.js";
import { runnerResolution } from "../steps/resolution.js";
import type { Step } from "../steps/step.js";
import type { GateReason, RunEvent } from "./events.js";

export interface GateRun {
  file: FileResult;
  phase: Phase;
  steps: Step[];
}

export interface GateResult {
  blocked: Finding[];
  passed: Array<{ finding: Finding; reason: GateReason }>;
}

export interface GateOptions {
  /** Row counts of the named relations in the target database; relations that do not exist are absent. */
  rowCounts(relations: string[]): Promise<Map<string, number>>;
  smallTableRows: number;
  unsafe: boolean;
}

export async function lintGate(runs: GateRun[], options: GateOptions): Promise<GateResult> {
  const candidates: Array<{ finding: Finding; statement: AnalyzedStatement | null; run: GateRun }> = [];
  for (const run of runs) {
    for (const finding of run.file.findings) {
      if (finding.severity !== "error") continue;
      const origin = run.file.origins.get(finding);
      if (origin?.phase !== run.phase) continue;
      candidates.push({ finding, statement: origin.statement, run });
    }
  }
  const relations = new Set<string>();
  for (const { finding, statement } of candidates) {
    if (statement && SIZE_DEPENDENT.has(finding.category))
      for (const r of existingRelations(statement)) relations.add(r);
  }
  const rows = relations.size > 0 ? await options.rowCounts([...relations]) : new Map<string, number>();
  const result: GateResult = { blocked: [], passed: [] };
  for (const { finding, statement, run } of candidates) {
    const reason = passes(finding, statement, run.steps, rows, options);
    if (reason) result.passed.push({ finding, reason });
    else result.blocked.push(finding);
  }
  return result;
}

function passes(
  finding: Finding,
  statement: AnalyzedStatement | null,
  steps: Step[],
  rows: Map<string, number>,
  options: GateOptions,
): GateReason | null {
  if (statement && runnerResolution(finding.rule, statement, steps) !== null) return "rewrite";
  if (statement && SIZE_DEPENDENT.has(finding.category)) {
    if (allSmall(existingRelations(statement), rows, options.smallTableRows)) return "small-table";
  }
  return options.unsafe ? "unsafe" : null;
}

function existingRelations(statement: AnalyzedStatement): string[] {
  return statement.effects.locks.filter((l) => l.existing).map((l) => l.relation);
}

/**
 * The gate as events: one `gate-finding` per finding (a log line each, however many there are), then the
 * `gate` summary. Nothing when no error finding was met.
 */
export function gateEvents(result: GateResult, unsafe: boolean): RunEvent[] {
  if (result.blocked.length === 0 && result.passed.length === 0) return [];
  const byReason: Record<GateReason, number> = { rewrite: 0, "small-table": 0, unsafe: 0 };
  for (const { reason } of result.passed) byReason[reason] += 1;
  return [
    ...result.passed.map(
      ({ finding, reason }): RunEvent => ({ event: "gate-finding", outcome: "passed", reason, finding }),
    ),
    ...result.blocked.map(
      (finding): RunEvent => ({ event: "gate-finding", outcome: "blocked", reason: null, finding }),
    ),
    { event: "gate", blocked: result.blocked.length, passed: result.passed.length, byReason, unsafe },
  ];
}
