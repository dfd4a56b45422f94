import { describe, expect, it } from "vitest";
import { type DataChangeInput, estimateDuration } from "./estimate.js";
import type { PlannedStep } from "./result.js";

const MiB = 1024 * 1024;
const sizes = {
  orders: { rows: 600000, totalBytes: 80 * MiB, tableBytes: 50 * MiB },
  archive: { rows: 1000, totalBytes: 2 * MiB, tableBytes: 1 * MiB },
};

function step(overrides: Partial<PlannedStep>): PlannedStep {
  return {
    rewrite: false,
    scan: false,
    transaction: true,
    blocks: "reads+writes",
    ...overrides,
  } as PlannedStep;
}

describe("estimateDuration", () => {
  it("adds the UPDATE after a rewrite in the same step to the rewrite", () => {
    const estimate = estimateDuration({
      step: step({ rewrite: true }),
      relations: ["orders"],
      buildsIndex: false,
      dataChanges: [{ kind: "update", table: "orders", hasWhere: false, reads: [] }],
      sizes,
    });
    expect(estimate).toEqual({
      seconds: 12,
      basis:
        "rewrites orders (80 MB) at 40 MB/s; updates orders (600000 rows, 80 MB) at 8.0 MB/s under the step's lock",
    });
  });

  it("bounds a data change with a WHERE clause by the whole table, and an INSERT ... SELECT by what it reads", () => {
    const estimate = estimateDuration({
      step: step({ blocks: "writes" }),
      relations: [],
      buildsIndex: false,
      dataChanges: [
        { kind: "delete", table: "orders", hasWhere: true, reads: [] },
        { kind: "insert", table: "archive", hasWhere: false, reads: ["orders"] },
      ],
      sizes,
    });
    expect(estimate?.basis).toBe(
      "deletes at most all of orders (600000 rows, 50 MB) at 50 MB/s under the step's lock; " +
        "inserts the rows it reads from orders (600000 rows, 50 MB) into archive at 25 MB/s under the step's lock",
    );
    expect(estimate?.seconds).toBe(3);
  });

  it.each([
    ["the step blocks no traffic", step({ blocks: "nothing" }), [{ table: "orders", reads: [] }]],
    ["the size is unknown", step({}), [{ table: "elsewhere", reads: [] }]],
    ["an INSERT ... VALUES reads nothing", step({}), [{ table: "orders", reads: [], kind: "insert" }]],
  ])("gives none when %s", (_name, planned, changes) => {
    const dataChanges = changes.map((c) => ({ kind: "update", hasWhere: false, ...c }) as DataChangeInput);
    expect(
      estimateDuration({ step: planned, relations: [], buildsIndex: false, dataChanges, sizes }),
    ).toBeNull();
  });
});
