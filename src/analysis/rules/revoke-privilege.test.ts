import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "revoke-privilege";

describe(rule, () => {
  it.each([
    ["REVOKE on a table", "REVOKE SELECT ON users FROM app;", "SELECT on table users from app"],
    [
      "several privileges and grantees",
      "REVOKE INSERT, UPDATE ON users FROM app, PUBLIC;",
      "INSERT, UPDATE on table users from app, PUBLIC",
    ],
    ["REVOKE ALL", "REVOKE ALL ON TABLE users FROM app;", "ALL on table users"],
    [
      "all tables in a schema",
      "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM app;",
      "ALL on all tables in schema public",
    ],
    ["a function", "REVOKE EXECUTE ON FUNCTION f(int) FROM PUBLIC;", "EXECUTE on function f"],
    ["a schema", "REVOKE USAGE ON SCHEMA billing FROM app;", "USAGE on schema billing"],
    ["a role membership", "REVOKE writer FROM app;", "membership in writer from app"],
    ["a multi-line statement", "REVOKE SELECT\n  ON users\n  FROM app;", "SELECT on table users"],
  ])("fires on %s", (_name, sql, message) => {
    const findings = findingsOf(rule, sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(message);
    expect(findings[0]?.message).toContain("permission denied");
  });

  it("fires on a table created by an earlier migration", () => {
    const findings = findingsOf(rule, [
      "CREATE TABLE users (id bigint);",
      "\nREVOKE SELECT ON users FROM app;",
    ]);
    expect(findings.map((f) => [f.file, f.line, f.column])).toEqual([["0002_test.sql", 2, 1]]);
  });

  it.each([
    ["GRANT", "GRANT SELECT ON users TO app;"],
    ["a table created in the same migration", "CREATE TABLE t (id int);\nREVOKE ALL ON t FROM PUBLIC;"],
    [
      "a function created in the same migration",
      "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';\nREVOKE EXECUTE ON FUNCTION f() FROM PUBLIC;",
    ],
    [
      "ALTER DEFAULT PRIVILEGES (objects created later only)",
      "ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT ON TABLES FROM app;",
    ],
    ["the contract section", "-- safemigrate:contract\nREVOKE SELECT ON users FROM app;"],
    [
      "ignored by directive",
      "-- safemigrate:ignore revoke-privilege -- no code uses it\nREVOKE SELECT ON users FROM app;",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
