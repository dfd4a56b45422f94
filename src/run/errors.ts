/** How a run ends early. The CLI maps each to an exit code and prints it without a stack trace. */

import { Refused } from "../errors.js";
import type { Phase } from "../sql/directives.js";

/** A run that refuses to start or continue, for a reason it states in one line (exit 1). */
export class RunRefused extends Refused {
  override readonly name = "RunRefused";
}

/** SIGINT / SIGTERM: the running statement was cancelled and rolled back (exit 130 / 143). */
export class Interrupted extends Error {
  override readonly name = "Interrupted";
  readonly signal: "SIGINT" | "SIGTERM";

  constructor(signal: "SIGINT" | "SIGTERM") {
    super(`interrupted by ${signal}`);
    this.signal = signal;
  }
}

/** Postgres's fields of a failed statement (postgres.js PostgresError). */
export interface PgErrorFields {
  message: string;
  code: string | null;
  detail: string | null;
  hint: string | null;
}

/** postgres.js's codes for a connection that closed under a query (the server has no say then). */
const CONNECTION_LOST = /^CONNECTION_(CLOSED|ENDED|DESTROYED)$/;

export function pgErrorFields(error: unknown): PgErrorFields {
  const e = error as { message?: string; code?: string; detail?: string; hint?: string };
  if (typeof e.code === "string" && CONNECTION_LOST.test(e.code)) {
    // "write CONNECTION_CLOSED host:port" does not say what happened, nor what to do.
    return {
      message:
        "the connection to the server closed during the step (its session was terminated, or the server restarted)",
      code: e.code,
      detail: e.message ?? null,
      hint: "run again: it resumes at the first step not recorded as done",
    };
  }
  return {
    message: e.message ?? String(error),
    code: typeof e.code === "string" ? e.code : null,
    detail: e.detail ?? null,
    hint: e.hint ?? null,
  };
}

/** A statement of a step failed (exit 1): where it stands in its file, and what Postgres said. */
export class StepFailed extends Error {
  override readonly name = "StepFailed";
  readonly file: string;
  readonly line: number;
  readonly version: string;
  readonly migrationName: string;
  readonly phase: Phase;
  /** The step that failed, from 1, of `steps` in its phase. */
  readonly step: number;
  readonly steps: number;
  readonly pg: PgErrorFields;
  /** The statement that ran, when it differs from the file's text (a rewrite). */
  readonly sql: string | null;

  constructor(fields: {
    file: string;
    line: number;
    version: string;
    migrationName: string;
    phase: Phase;
    step: number;
    steps: number;
    pg: PgErrorFields;
    sql: string | null;
  }) {
    super(`${fields.file}:${fields.line}: ${fields.pg.message}`);
    this.file = fields.file;
    this.line = fields.line;
    this.version = fields.version;
    this.migrationName = fields.migrationName;
    this.phase = fields.phase;
    this.step = fields.step;
    this.steps = fields.steps;
    this.pg = fields.pg;
    this.sql = fields.sql;
  }
}
