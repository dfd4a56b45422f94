import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "detach-partition-non-concurrent";
const detach = "ALTER TABLE events DETACH PARTITION events_2023;";

describe(rule, () => {
  it.each([
    ["a plain detach", detach],
    ["schema-qualified, multi-line", "ALTER TABLE app.events\n  DETACH PARTITION\n  app.events_2023;"],
    ["a partition created earlier in the same migration", `CREATE TABLE events_2023 (at date);\n${detach}`],
    [
      "a table created by an earlier migration",
      ["CREATE TABLE events (at date) PARTITION BY RANGE (at);", detach],
    ],
  ])("fires on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toHaveLength(1);
  });

  it("names the partition, the table and the lock", () => {
    const [finding] = findingsOf(rule, `SET lock_timeout = '1s';\n${detach}`);
    expect(finding).toMatchObject({ line: 2, column: 1 });
    expect(finding?.message).toBe(
      "DETACH PARTITION events_2023 from events takes an ACCESS EXCLUSIVE lock on events (blocks reads and writes) until the transaction ends",
    );
  });

  it.each([
    [13, 0],
    [14, 1],
    [18, 1],
  ])("on Postgres %i (CONCURRENTLY exists from 14) reports %i finding(s)", (pgVersion, count) => {
    expect(findingsOf(rule, detach, { pgVersion })).toHaveLength(count);
  });

  it.each([
    ["a concurrent detach", "ALTER TABLE events DETACH PARTITION events_2023 CONCURRENTLY;"],
    [
      "finishing an interrupted concurrent detach",
      "ALTER TABLE events DETACH PARTITION events_2023 FINALIZE;",
    ],
    [
      "a partitioned table created in the same migration",
      "CREATE TABLE events (at date) PARTITION BY RANGE (at);\nCREATE TABLE events_2023 PARTITION OF events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');\n" +
        detach,
    ],
    [
      "ignored by directive",
      `-- safemigrate:ignore detach-partition-non-concurrent -- has a default partition\n${detach}`,
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
