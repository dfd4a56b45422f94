import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { StatsFile } from "../db/stats.js";
import { loadStatsFile, statsInvalidIndexes, statsRecords, statsSizes, validateStats } from "./stats-file.js";

const NOW = new Date("2026-12-04T12:00:00.000Z");
const DAY = 86_400_000;

function sample(): StatsFile {
  return {
    version: 1,
    generatedAt: "2026-12-03T12:00:00.000Z",
    database: "app",
    serverVersion: "18.1",
    major: 18,
    tables: [
      {
        name: "orders",
        kind: "table",
        parent: null,
        rows: 600000,
        totalBytes: 80 << 20,
        tableBytes: 50 << 20,
        indexes: [
          { name: "orders_pkey", bytes: 1 << 20, definition: "CREATE UNIQUE INDEX ...", valid: true },
          { name: "orders_total_idx", bytes: 0, definition: "CREATE INDEX ...", valid: false },
        ],
      },
      { name: "fresh", kind: "table", parent: null, rows: null, totalBytes: 0, tableBytes: 0, indexes: [] },
    ],
    partitionedTables: [],
    history: {
      schema: "safemigrate",
      migrations: [
        {
          version: "001",
          name: "orders",
          expandStartedAt: "2026-11-01T10:00:00.000Z",
          expandCompletedAt: "2026-11-01T10:00:01.000Z",
          contractCompletedAt: null,
          rollbackStartedAt: null,
        },
      ],
      steps: { "001/expand": ["a1b2"] },
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), "safemigrate-stats-unit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function written(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe("validateStats", () => {
  it("accepts a file safemigrate stats writes, and fields added later", () => {
    const extra = { ...sample(), exportedBy: "a later version" };
    expect(validateStats(JSON.parse(JSON.stringify(extra)), "s.json")).toEqual(sample());
  });

  it.each([
    ["a list", [], "s.json: expected an object, got []"],
    ["another version", { ...sample(), version: 2 }, "s.json: version: expected 1"],
    ["no version", { ...sample(), version: undefined }, "s.json: version: expected 1"],
    [
      "a bad time",
      { ...sample(), generatedAt: "yesterday" },
      "s.json: generatedAt: expected an ISO 8601 time",
    ],
    ["a major as text", { ...sample(), major: "18" }, "s.json: major: expected a number >= 0, got '18'"],
    ["no tables", { ...sample(), tables: undefined }, "s.json: tables: expected an array, got undefined"],
    ["no history", { ...sample(), history: undefined }, "s.json: history: expected an object, got undefined"],
  ])("refuses %s, naming the field", (_name, json, message) => {
    expect(() => validateStats(JSON.parse(JSON.stringify(json) ?? "null"), "s.json")).toThrow(message);
  });

  it("names the table and field of a wrong type", () => {
    const bad = sample() as unknown as { tables: Array<Record<string, unknown>> };
    (bad.tables[1] as Record<string, unknown>).rows = "12";
    expect(() => validateStats(bad, "s.json")).toThrow(
      "s.json: tables[1].rows: expected a number >= 0 or null, got '12'",
    );
    const index = sample() as unknown as { tables: Array<{ indexes: Array<Record<string, unknown>> }> };
    (index.tables[0]?.indexes[1] as Record<string, unknown>).valid = "no";
    expect(() => validateStats(index, "s.json")).toThrow(
      "s.json: tables[0].indexes[1].valid: expected true or false, got 'no'",
    );
    const history = sample();
    (history.history.migrations[0] as unknown as Record<string, unknown>).expandCompletedAt = 17;
    expect(() => validateStats(history, "s.json")).toThrow(
      "s.json: history.migrations[0].expandCompletedAt: expected a string, got 17",
    );
    const steps = { ...sample(), history: { ...sample().history, steps: { "001/expand": "a1b2" } } };
    expect(() => validateStats(steps, "s.json")).toThrow(
      "s.json: history.steps.001/expand: expected an array, got 'a1b2'",
    );
    const kind = { ...sample(), tables: [{ ...sample().tables[0], kind: "view" }] };
    expect(() => validateStats(kind, "s.json")).toThrow(
      "s.json: tables[0].kind: expected one of table, partitioned table, materialized view, got 'view'",
    );
  });
});

describe("loadStatsFile", () => {
  const good = written("good.json", JSON.stringify(sample()));

  it("reads a file younger than statsMaxAge", async () => {
    expect((await loadStatsFile(good, { maxAgeMs: 7 * DAY, now: NOW })).database).toBe("app");
  });

  it("refuses a file older than statsMaxAge, saying how old and how to renew it", async () => {
    const old = written("old.json", JSON.stringify({ ...sample(), generatedAt: "2026-11-24T00:00:00.000Z" }));
    await expect(loadStatsFile(old, { maxAgeMs: 7 * DAY, now: NOW })).rejects.toThrow(
      `${old}: generated 10.5 days ago (2026-11-24T00:00:00.000Z), older than statsMaxAge 7d: export it again with safemigrate stats`,
    );
    await expect(loadStatsFile(good, { maxAgeMs: 3_600_000, now: NOW })).rejects.toThrow(
      "generated 1.0 days ago (2026-12-03T12:00:00.000Z), older than statsMaxAge 1h",
    );
  });

  it("refuses a missing file and bad JSON in one line", async () => {
    await expect(loadStatsFile(join(dir, "none.json"), { maxAgeMs: DAY })).rejects.toThrow(
      `cannot read ${join(dir, "none.json")}: no such file`,
    );
    const broken = written("broken.json", '{"version": 1,');
    await expect(loadStatsFile(broken, { maxAgeMs: DAY })).rejects.toThrow(
      new RegExp(`^${broken}: invalid JSON: [^\\n]+$`),
    );
  });
});

describe("the history of a stats file", () => {
  it("reads as the history plan reads from a database", () => {
    const record = statsRecords(sample()).get("001");
    expect(record).toMatchObject({
      version: "001",
      expandCompletedAt: new Date("2026-11-01T10:00:01.000Z"),
      contractCompletedAt: null,
    });
  });
});

describe("sizes from a stats file", () => {
  it("gives the sizes of listed relations and none for others, and their INVALID indexes", () => {
    expect(statsSizes(sample(), ["orders", "later", "orders"])).toEqual({
      orders: { rows: 600000, totalBytes: 80 << 20, tableBytes: 50 << 20 },
      later: { rows: null, totalBytes: null, tableBytes: null },
    });
    expect(statsInvalidIndexes(sample(), ["orders", "fresh"])).toEqual([
      { index: "orders_total_idx", table: "orders" },
    ]);
  });
});
