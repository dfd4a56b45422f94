import { describe, expect, it } from "vitest";
import type { StepRef } from "../../run/events.js";
import type { CliIO } from "../io.js";
import { palette } from "../io.js";
import { createRunReporter } from "./run-progress.js";

function capture(isTTY: boolean) {
  const out: string[] = [];
  const io = { stdout: (t: string) => out.push(t), stderr: () => {}, isTTY } as unknown as CliIO;
  return { io, out };
}

const ref: StepRef = {
  version: "002",
  name: "cents",
  file: "migrations/002_cents.sql",
  phase: "expand",
  step: 2,
  steps: 3,
  kind: "backfill",
  sql: 'UPDATE "orders" SET total_cents = (total * 100)::bigint WHERE (total_cents IS NULL)',
  transactional: true,
  locks: [{ relation: "orders", mode: "RowExclusiveLock" }],
  blocks: "nothing",
  rewrittenFrom: null,
};

const progress = {
  ...ref,
  event: "backfill-progress" as const,
  key: "id",
  batches: 12,
  rowsDone: 12_000,
  rowsUpdated: 11_500,
  rowsTotal: 200_000,
  rowsPerSecond: 40_000,
  etaMs: 4700,
  lastKey: "12000",
  elapsedMs: 300,
};

describe("backfill progress", () => {
  it("shows rows done of the estimate, the rate and the ETA on a terminal, then sums up", () => {
    const { io, out } = capture(true);
    const report = createRunReporter(io, "text", palette(false));
    report({
      ...ref,
      event: "backfill-start",
      key: "id",
      batch: 1000,
      rowsTotal: 200_000,
      resumedAfter: "11000",
    });
    report(progress);
    report({ ...ref, event: "step-done", durationMs: 5000, retries: 0 });
    expect(out.join("")).toBe(
      "  … 2/3 backfill of orders resumes after id 11000\n" +
        "  … 2/3 backfill by id: 12,000 / ~200,000 rows (6%), 40,000 rows/s, ETA 4.7s" +
        "\r\x1b[2K" +
        '  ✓ 2/3 UPDATE "orders" SET total_cents = (total * 100)::bigint WHERE (total_cents IS NULL)\n' +
        "      RowExclusiveLock on orders; blocks nothing; 5.0s\n" +
        "      backfilled by id: 12,000 rows walked, 11,500 updated, in 12 batches\n",
    );
  });

  it("prints no line per batch in a log, and an unknown total as such", () => {
    const { io, out } = capture(false);
    const report = createRunReporter(io, "text", palette(false));
    report({ ...progress, rowsTotal: null, etaMs: null });
    expect(out).toEqual([]);
    const json = capture(false);
    createRunReporter(json.io, "json", palette(false))(progress);
    expect(JSON.parse(json.out[0] as string)).toMatchObject({ event: "backfill-progress", rowsDone: 12_000 });
  });
});
