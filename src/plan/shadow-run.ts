/**
 * The shadow part of a plan: open the shadow, replay the phases already applied, then trace every planned
 * step in order. Plan never fails because of the shadow: if it cannot start, every step is shown from the
 * model with the reason; a step it cannot run is marked untraced. Only a statement that fails because the
 * migration is wrong becomes a finding.
 */
import type { Finding } from "../analysis/lint.js";
import { errorMessage } from "../errors.js";
import type { Shadow } from "../shadow/shadow.js";
import { type TracedStep, type TraceJob, type TraceOutcome, traceOnShadow } from "../trace/job.js";
import { shadowFailureFinding } from "./findings.js";
import { plannedStep } from "./planned-step.js";
import type { PlannedStep, ShadowInfo } from "./result.js";
import type { PhaseWork, Selection } from "./select.js";

export interface ShadowRun {
  /** Per planned phase (same order as the selection), its steps as plan shows them. */
  steps: PlannedStep[][];
  /** Per planned phase, the statements that failed on the shadow. */
  failures: Finding[][];
  shadow: ShadowInfo | null;
  /** performance.now() when the shadow was ready, and after replay and trace. */
  marks: { ready: number; replayed: number; traced: number };
}

function where(work: PhaseWork, line: number): string {
  return `${work.file.file.migration.file.path}:${line}`;
}

function modelOnly(selection: Selection, reason: string): PlannedStep[][] {
  return selection.planned.map((work) =>
    work.steps.map((step) => ({ ...plannedStep(step, null, null), reason })),
  );
}

export type Opening = Promise<{ shadow: Shadow } | { error: unknown }>;

/**
 * Starts opening the shadow without waiting for it: plan lints the migrations meanwhile. The result never
 * rejects, so that nothing goes unhandled while the caller is busy.
 */
export function startOpening(open: () => Promise<Shadow>): Opening {
  return open().then(
    (shadow) => ({ shadow }),
    (error: unknown) => ({ error }),
  );
}

/** Closes a shadow that was opened but will not be used (the plan failed before tracing). */
export async function discardOpening(opening: Opening): Promise<void> {
  const opened = await opening;
  if ("shadow" in opened) await opened.shadow.close();
}

/** The model alone, with why there is no trace; `engine` is null when tracing is off. */
function modelRun(
  selection: Selection,
  reason: string,
  engine: Pick<ShadowInfo, "engine" | "serverVersion"> | null,
  ready = performance.now(),
): ShadowRun {
  const now = performance.now();
  return {
    steps: modelOnly(selection, reason),
    failures: selection.planned.map(() => []),
    shadow: engine && {
      engine: engine.engine,
      serverVersion: engine.serverVersion,
      replayed: 0,
      unavailable: reason,
      replayFailures: [],
    },
    marks: { ready, replayed: now, traced: now },
  };
}

/** The steps of phases as trace job entries. */
function entries(works: PhaseWork[]): TraceJob["replay"] {
  return works.flatMap((work) =>
    work.steps.map((step) => ({
      step: { statements: step.statements, transactional: step.transactional },
      where: where(work, step.line),
      names: step.locks.map((l) => l.relation),
    })),
  );
}

/** The whole trace as one job: the applied steps to replay, the planned ones to trace. */
function traceJob(selection: Selection): TraceJob {
  return { replay: entries(selection.replay), planned: entries(selection.planned) };
}

/**
 * Replays phases on the shadow as plan replays applied migrations, so that the schema they build can be
 * read from its catalog; the failures name each step that did not replay.
 */
export async function replayOnShadow(
  shadow: Shadow,
  works: PhaseWork[],
): Promise<TraceOutcome["replayFailures"]> {
  const outcome = await traceOnShadow(shadow, { replay: entries(works), planned: [] });
  return outcome.replayFailures;
}

/** `opening` is null when tracing is off (the plan then shows the model alone). Closes the shadow. */
export async function runOnShadow(selection: Selection, opening: Opening | null): Promise<ShadowRun> {
  if (!opening) return modelRun(selection, "not traced: tracing is off", null);
  const opened = await opening;
  if ("error" in opened) {
    const { error } = opened;
    // A --shadow-url the user gave that cannot be used is their error; the embedded shadow is ours.
    if ((error as Error).name === "UsageError") throw error;
    const reason = `not traced: the embedded shadow could not start (${errorMessage(error)})`;
    return modelRun(selection, reason, { engine: "pglite", serverVersion: "unknown" });
  }
  const { shadow } = opened;
  try {
    const ready = performance.now();
    const job = traceJob(selection);
    let outcome: TraceOutcome;
    try {
      outcome = await traceOnShadow(shadow, job);
    } catch (error) {
      // Statements that fail are the tracer's business; this is the shadow itself failing (it stopped,
      // or cannot read its catalog): show the model, and say why.
      return modelRun(selection, `not traced: the shadow failed (${errorMessage(error)})`, shadow, ready);
    }
    const { steps, failures } = tracedSteps(selection, outcome, shadow.engine);
    const replayed = ready + outcome.replayMs;
    const info: ShadowInfo = {
      engine: shadow.engine,
      serverVersion: shadow.serverVersion,
      replayed: selection.replay.length,
      unavailable: null,
      replayFailures: outcome.replayFailures,
    };
    return { steps, failures, shadow: info, marks: { ready, replayed, traced: replayed + outcome.traceMs } };
  } finally {
    await shadow.close();
  }
}

/** The planned steps with their traces, and per phase the statements that failed on the shadow. */
function tracedSteps(
  selection: Selection,
  outcome: TraceOutcome,
  engine: ShadowInfo["engine"],
): Pick<ShadowRun, "steps" | "failures"> {
  const traced = outcome.steps[Symbol.iterator]();
  const failures = selection.planned.map(() => [] as Finding[]);
  const steps = selection.planned.map((work, index) =>
    work.steps.map((step) => {
      const { trace, resolved } = traced.next().value as TracedStep;
      if (trace.failure) {
        const { statement, error } = trace.failure;
        failures[index]?.push(shadowFailureFinding(work.file.file, step, statement, error, engine));
      }
      return plannedStep(step, trace, (name) => resolved[name] ?? null);
    }),
  );
  return { steps, failures };
}
