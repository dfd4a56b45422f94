import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "prefer-timestamptz";

describe(rule, () => {
  it.each([
    ["timestamp", "CREATE TABLE t (created_at timestamp);", "column t.created_at is timestamp"],
    ["timestamp without time zone", "CREATE TABLE t (at timestamp without time zone NOT NULL);", "t.at"],
    ["timestamp with precision, multi-line", "CREATE TABLE t (\n  id bigint,\n  at timestamp(3)\n);", "t.at"],
    ["a new column", "ALTER TABLE users ADD COLUMN seen_at timestamp;", "users.seen_at"],
    ["a type change", "ALTER TABLE users ALTER COLUMN seen_at TYPE timestamp;", "users.seen_at is changed"],
  ])("fires on %s", (_name, sql, text) => {
    const findings = findingsOf(rule, sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(text);
  });

  it.each([
    ["a new column", "CREATE TABLE t (\n  id bigint,\n  at timestamp\n);", 3, 3],
    ["a type change", "ALTER TABLE users\n  ALTER COLUMN seen_at TYPE timestamp;", 2, 16],
  ])("points at the column in %s", (_name, sql, line, column) => {
    expect(findingsOf(rule, sql)[0]).toMatchObject({ line, column });
  });

  it.each([
    ["timestamptz", "CREATE TABLE t (at timestamptz);"],
    ["timestamp with time zone", "CREATE TABLE t (at timestamp with time zone);"],
    ["date and time", "CREATE TABLE t (d date, t time);"],
    ["a type change to timestamptz", "ALTER TABLE users ALTER COLUMN seen_at TYPE timestamptz;"],
    [
      "ignored by directive",
      "-- safemigrate:ignore prefer-timestamptz -- local wall-clock time\nCREATE TABLE t (\n  at timestamp);",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
