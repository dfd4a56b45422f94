import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "rename-column";

describe(rule, () => {
  it.each([
    ["RENAME COLUMN", "ALTER TABLE users RENAME COLUMN email TO mail;"],
    ["RENAME without COLUMN", "ALTER TABLE users RENAME email TO mail;"],
    ["a multi-line statement", "ALTER TABLE\n  app.users\n  RENAME COLUMN email\n  TO mail;"],
    ["a section marked expand", "-- safemigrate:expand\nALTER TABLE users RENAME COLUMN email TO mail;"],
  ])("fires on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toHaveLength(1);
  });

  it("fires on a table created by an earlier migration", () => {
    const findings = findingsOf(rule, [
      "CREATE TABLE users (id bigint, email text);",
      "-- rename\n  ALTER TABLE users RENAME COLUMN email TO mail;",
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: "0002_test.sql", line: 2, column: 3 });
    expect(findings[0]?.message).toContain("users.email to mail");
  });

  it.each([
    ["the contract section", "-- safemigrate:contract\nALTER TABLE users RENAME COLUMN email TO mail;"],
    [
      "a table created in the same migration",
      "CREATE TABLE users (id bigint, email text);\nALTER TABLE users RENAME COLUMN email TO mail;",
    ],
    ["a constraint rename", "ALTER TABLE users RENAME CONSTRAINT users_pk TO users_pkey;"],
    ["a table rename (another rule)", "ALTER TABLE users RENAME TO customers;"],
    [
      "ignored by directive",
      "-- safemigrate:ignore rename-column -- no code reads it yet\nALTER TABLE users\n  RENAME COLUMN email TO mail;",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
