/** How a run that ended early is reported and which exit code it means (shared by the CLI and the API). */
import { Refused } from "../errors.js";
import { Interrupted, StepFailed } from "./errors.js";
import type { RunEvent } from "./events.js";
import { SIGNAL_EXIT } from "./signals.js";

export interface Failure {
  event: RunEvent;
  exitCode: number;
}

/** The event and exit code of a run's failure; null for errors that are not a run's (usage, internal). */
export function failureOf(error: unknown): Failure | null {
  if (error instanceof Interrupted) {
    return { event: { event: "interrupted", signal: error.signal }, exitCode: SIGNAL_EXIT[error.signal] };
  }
  const none = {
    ...{ file: null, line: null, version: null, name: null, phase: null, step: null, steps: null },
    ...{ code: null, detail: null, hint: null, sql: null },
  };
  if (error instanceof StepFailed) {
    const { file, line, version, migrationName: name, phase, step, steps, sql } = error;
    const { message, code, detail, hint } = error.pg;
    const where = { file, line, version, name, phase, step, steps };
    return { event: { event: "error", message, ...where, code, detail, hint, sql }, exitCode: 1 };
  }
  // A refusal from below the runner (the rollback selection, shared with plan) is the same.
  if (error instanceof Refused)
    return { event: { event: "error", ...none, message: error.message }, exitCode: 1 };
  return null;
}
