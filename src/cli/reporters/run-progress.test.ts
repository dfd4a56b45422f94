import { describe, expect, it } from "vitest";
import type { RunEvent, StepRef } from "../../run/events.js";
import type { CliIO } from "../io.js";
import { palette } from "../io.js";
import { createRunReporter } from "./run-progress.js";

function capture(isTTY: boolean) {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdout: (t: string) => out.push(t),
    stderr: (t: string) => err.push(t),
    isTTY,
  } as unknown as CliIO;
  return { io, out, err };
}

const ref: StepRef = {
  version: "002",
  name: "index",
  file: "migrations/002_index.sql",
  phase: "expand",
  step: 1,
  steps: 2,
  kind: "create-index-concurrently",
  sql: "CREATE INDEX CONCURRENTLY t_a_idx ON t (a)",
  transactional: false,
  locks: [{ relation: "t", mode: "ShareUpdateExclusiveLock" }],
  blocks: "nothing",
  rewrittenFrom: "CREATE INDEX t_a_idx ON t (a)",
};

describe("run reporter", () => {
  it("prints a line per step with its lock, timing and retries", () => {
    const { io, out } = capture(false);
    const report = createRunReporter(io, "text", palette(false));
    report({ ...ref, event: "step-start", lockTimeoutMs: null, statementTimeoutMs: null });
    report({
      ...ref,
      event: "step-retry",
      attempt: 1,
      delayMs: 420,
      code: "55P03",
      message: "canceling statement due to lock timeout",
      blockers: [{ pid: 77, query: "SELECT * FROM t", state: "idle in transaction", ageMs: 5200 }],
    });
    report({ ...ref, event: "step-done", durationMs: 1530, retries: 1 });
    expect(out.join("")).toBe(
      "  ↻ 1/2 lock timeout (55P03); retry 1 in 420ms; blocked by pid 77 (idle in transaction, 5.2s): SELECT * FROM t\n" +
        "  ✓ 1/2 CREATE INDEX CONCURRENTLY t_a_idx ON t (a) (safe rewrite)\n" +
        "      ShareUpdateExclusiveLock on t; blocks nothing; 1.5s, 1 retry\n",
    );
  });

  it("shows a live progress line on a terminal and clears it before the next line", () => {
    const { io, out } = capture(true);
    const report = createRunReporter(io, "text", palette(false));
    report({ ...ref, event: "step-start", lockTimeoutMs: null, statementTimeoutMs: null });
    const progress = {
      blocksDone: 50,
      blocksTotal: 200,
      tuplesDone: 0,
      tuplesTotal: 0,
      lockersDone: 0,
      lockersTotal: 0,
    };
    report({
      ...ref,
      event: "progress",
      elapsedMs: 2000,
      progress: { ...progress, phase: "building index: scanning table" },
    });
    report({ ...ref, event: "step-done", durationMs: 3000, retries: 0 });
    const text = out.join("");
    expect(text).toContain("  … 1/2 building index: scanning table 25% of blocks (2.0s)");
    expect(text).toContain("\r\x1b[2K  ✓ 1/2");
  });

  it("prints errors with detail and hint, and never a password, in text and JSON", () => {
    const error: RunEvent = {
      event: "error",
      message: "could not connect to postgres://app:hunter2@db:5432/app",
      file: "migrations/003_x.sql",
      line: 4,
      version: "003",
      name: "x",
      phase: "expand",
      step: 1,
      steps: 2,
      code: "XX000",
      detail: "Key (id)=(1) is duplicated.",
      hint: "Check the data.",
      sql: null,
    };
    const text = capture(false);
    createRunReporter(text.io, "text", palette(false))(error);
    expect(text.err.join("")).toBe(
      "safemigrate: migrations/003_x.sql:4: could not connect to postgres://app:***@db:5432/app\n" +
        "  detail: Key (id)=(1) is duplicated.\n  hint: Check the data.\n",
    );
    const json = capture(false);
    createRunReporter(json.io, "json", palette(false))(error);
    const line = json.out.join("");
    expect(line).not.toContain("hunter2");
    expect(JSON.parse(line)).toMatchObject({ event: "error", file: "migrations/003_x.sql", line: 4 });
  });
});
