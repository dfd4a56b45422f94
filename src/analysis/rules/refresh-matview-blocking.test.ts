import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "refresh-matview-blocking";

describe(rule, () => {
  it.each([
    ["a plain refresh", "REFRESH MATERIALIZED VIEW stats;", "stats"],
    ["WITH DATA, schema-qualified", "REFRESH MATERIALIZED VIEW app.stats WITH DATA;", "app.stats"],
    ["multi-line, WITH NO DATA", "REFRESH MATERIALIZED VIEW\n  stats\n  WITH NO DATA;", "stats"],
  ])("fires on %s", (_name, sql, view) => {
    const findings = findingsOf(rule, sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toBe(
      `REFRESH MATERIALIZED VIEW ${view} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock that blocks every read of the view until the refresh finishes`,
    );
  });

  it("fires on a view created by an earlier migration", () => {
    const findings = findingsOf(rule, [
      "CREATE MATERIALIZED VIEW stats AS SELECT 1 AS n;",
      "SET lock_timeout = '1s';\nREFRESH MATERIALIZED VIEW stats;",
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: "0002_test.sql", line: 2, column: 1 });
  });

  it.each([
    ["CONCURRENTLY", "REFRESH MATERIALIZED VIEW CONCURRENTLY stats;"],
    [
      "a view created in the same migration",
      "CREATE MATERIALIZED VIEW stats AS SELECT 1 AS n WITH NO DATA;\nREFRESH MATERIALIZED VIEW stats;",
    ],
    [
      "ignored by directive",
      "-- safemigrate:ignore refresh-matview-blocking -- nobody reads it yet\nREFRESH MATERIALIZED VIEW\n  stats;",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
