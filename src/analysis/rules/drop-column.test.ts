import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "drop-column";

describe(rule, () => {
  it.each([
    ["a plain drop", "ALTER TABLE users DROP COLUMN email;", 1],
    [
      "two drops, multi-line",
      "ALTER TABLE users\n  DROP COLUMN IF EXISTS email,\n  DROP COLUMN name CASCADE;",
      2,
    ],
    [
      "a section marked expand",
      "-- safemigrate:expand\nALTER TABLE users DROP email;\n-- safemigrate:contract\nSELECT 1;",
      1,
    ],
    ["a schema-qualified table", "ALTER TABLE app.users DROP COLUMN email;", 1],
  ])("fires on %s", (_name, sql, count) => {
    expect(findingsOf(rule, sql)).toHaveLength(count);
  });

  it("fires on a table created by an earlier migration, at the statement", () => {
    const findings = findingsOf(rule, [
      "CREATE TABLE users (id bigint, email text);",
      "SELECT 1;\n\n  ALTER TABLE users DROP COLUMN email;",
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: "0002_test.sql", line: 3, column: 3, severity: "error" });
    expect(findings[0]?.message).toContain("users.email");
  });

  it.each([
    ["the contract section", "-- safemigrate:contract\nALTER TABLE users DROP COLUMN email;"],
    [
      "a table created in the same migration",
      "CREATE TABLE users (id bigint, email text);\nALTER TABLE users\n  DROP COLUMN email;",
    ],
    ["another sub-command", "ALTER TABLE users DROP CONSTRAINT users_email_key;"],
    [
      "ignored by directive",
      "-- safemigrate:ignore drop-column -- unused since v2\nALTER TABLE users\n  DROP COLUMN email;",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
