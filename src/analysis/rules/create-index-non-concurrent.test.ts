import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "create-index-non-concurrent";

describe(rule, () => {
  it.each([
    ["plain index", "CREATE INDEX idx ON users (email);"],
    ["unique index", "CREATE UNIQUE INDEX idx ON users (email);"],
    [
      "schema-qualified, multi-line",
      "CREATE INDEX idx\n  ON app.users\n  USING btree (email)\n  WHERE deleted_at IS NULL;",
    ],
  ])("fires on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toHaveLength(1);
  });

  it("fires on a table created by an earlier migration", () => {
    const findings = findingsOf(rule, ["CREATE TABLE users (id bigint);", "CREATE INDEX idx ON users (id);"]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: "0002_test.sql", line: 1, column: 1 });
  });

  it.each([
    ["concurrent build", "CREATE INDEX CONCURRENTLY idx ON users (email);"],
    [
      "table created in the same migration",
      "CREATE TABLE users (id bigint);\nCREATE INDEX idx ON users (id);",
    ],
    [
      "ignored by directive",
      "-- safemigrate:ignore create-index-non-concurrent -- empty table\nCREATE INDEX idx\n ON users (id);",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
