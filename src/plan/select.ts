/**
 * Which phases plan replays (already applied) and which it plans, in the order `up` and then `contract`
 * run them: the expand phases of pending migrations, then the contract phases. Without a history every
 * migration is pending.
 */
import type { FileResult } from "../analysis/lint.js";
import type { MigrationRecord } from "../db/history.js";
import type { Phase } from "../sql/directives.js";
import { type Step, stepHash } from "../steps/step.js";
import { buildSteps } from "../steps/steps.js";

export interface PhaseWork {
  file: FileResult;
  phase: Phase;
  steps: Step[];
}

export interface Selection {
  replay: PhaseWork[];
  planned: PhaseWork[];
}

export interface SelectOptions {
  rewrite: boolean;
  pgVersion: number;
  /** The history by version; null when there is no database (everything is pending). */
  records: Map<string, MigrationRecord> | null;
  /** The hashes of the steps `up` completed, by `version/phase`. */
  stepHashes?: Map<string, string[]>;
}

/** Whether each phase of a migration has run; `contract` is null for a file without a contract section. */
export interface PhaseStates {
  expand: "applied" | "pending";
  contract: "applied" | "pending" | null;
}

/**
 * One answer, for plan and for `up` / `contract`, to which phases of a migration its history record says
 * have run, so that plan shows exactly what the runner will run.
 */
export function phaseStates(file: FileResult, record: MigrationRecord | undefined): PhaseStates {
  const hasContract =
    file.file.statements.some((s) => s.phase === "contract") ||
    file.file.backfills.some((b) => b.phase === "contract");
  return {
    expand: record?.expandCompletedAt ? "applied" : "pending",
    contract: !hasContract ? null : record?.contractCompletedAt ? "applied" : "pending",
  };
}

export function selectPhases(files: FileResult[], options: SelectOptions): Selection {
  const work = (file: FileResult, phase: Phase): PhaseWork => ({
    file,
    phase,
    steps: buildSteps(file.file, { rewrite: options.rewrite, phase, pgVersion: options.pgVersion }),
  });
  // An applied phase replays as it ran: through the rewrites when its recorded steps are those, as written
  // when they are those or when another tool applied it (no steps recorded) or it was baselined.
  const applied = (file: FileResult, phase: Phase): PhaseWork => {
    const ran = options.stepHashes?.get(`${file.file.migration.version}/${phase}`) ?? [];
    const build = (rewrite: boolean) =>
      buildSteps(file.file, { rewrite, phase, pgVersion: options.pgVersion });
    const same = (steps: Step[]) =>
      steps.length === ran.length && steps.every((step, i) => stepHash(step) === ran[i]);
    const rewritten = ran.length > 0 ? build(true) : null;
    return { file, phase, steps: rewritten && same(rewritten) ? rewritten : build(false) };
  };
  const replay: PhaseWork[] = [];
  const expands: PhaseWork[] = [];
  const contracts: PhaseWork[] = [];
  for (const file of files) {
    const states = phaseStates(file, options.records?.get(file.file.migration.version));
    if (states.expand === "applied") replay.push(applied(file, "expand"));
    else expands.push(work(file, "expand"));
    if (states.contract === "applied") replay.push(applied(file, "contract"));
    else if (states.contract === "pending") contracts.push(work(file, "contract"));
  }
  return { replay, planned: [...expands, ...contracts] };
}
