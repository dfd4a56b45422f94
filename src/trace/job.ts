/**
 * A whole trace as one job: replay the applied steps, trace the planned ones, and resolve the relation
 * names the model uses for each planned step as the catalog stood right after it. One function, run where
 * the shadow is: in this thread, or inside the embedded shadow's worker, so that the hundreds of
 * statements of a plan do not each cross between threads.
 */
import type { Shadow } from "../shadow/shadow.js";
import { type Resolved, type StepTrace, type TraceableStep, Tracer } from "./tracer.js";

export interface TraceJob {
  replay: Array<{ step: TraceableStep; where: string; names: string[] }>;
  planned: Array<{ step: TraceableStep; where: string; names: string[] }>;
}

export interface TracedStep {
  trace: StepTrace;
  /** The model's relation names for this step, resolved on the shadow right after it. */
  resolved: Record<string, Resolved | null>;
}

export interface TraceOutcome {
  steps: TracedStep[];
  /** The applied steps that failed to replay on the shadow, with Postgres's message. */
  replayFailures: Array<{ where: string; message: string }>;
  replayMs: number;
  traceMs: number;
}

/** A shadow that runs a whole trace job where it lives (the embedded shadow's worker). */
export interface JobShadow extends Shadow {
  runJob(job: TraceJob): Promise<TraceOutcome>;
}

function runsJobs(shadow: Shadow): shadow is JobShadow {
  return typeof (shadow as Partial<JobShadow>).runJob === "function";
}

/** Runs the job where the shadow lives when it can, else here, statement by statement over its session. */
export function traceOnShadow(shadow: Shadow, job: TraceJob): Promise<TraceOutcome> {
  return runsJobs(shadow) ? shadow.runJob(job) : runTraceJob(shadow, job);
}

export async function runTraceJob(shadow: Shadow, job: TraceJob): Promise<TraceOutcome> {
  const started = performance.now();
  const tracer = new Tracer(shadow);
  await tracer.start();
  const replayFailures: TraceOutcome["replayFailures"] = [];
  for (const { step, where, names } of job.replay) {
    const message = await tracer.replay(step, where, names);
    if (message !== null) replayFailures.push({ where, message });
  }
  if (job.replay.length > 0) await tracer.replayed();
  const replayed = performance.now();
  const steps: TracedStep[] = [];
  for (const { step, where, names } of job.planned) {
    const trace = await tracer.trace(step, where, names);
    steps.push({ trace, resolved: Object.fromEntries(names.map((n) => [n, tracer.resolve(n)])) });
  }
  return { steps, replayFailures, replayMs: replayed - started, traceMs: performance.now() - replayed };
}
