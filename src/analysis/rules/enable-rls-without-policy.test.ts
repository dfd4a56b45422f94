import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "enable-rls-without-policy";

describe(rule, () => {
  it.each([
    ["ENABLE ROW LEVEL SECURITY", "ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;"],
    ["among other sub-commands", "ALTER TABLE accounts ADD COLUMN note text, ENABLE ROW LEVEL SECURITY;"],
    [
      "a policy on another table",
      "CREATE POLICY p ON other USING (true);\nALTER TABLE accounts ENABLE ROW LEVEL SECURITY;",
    ],
    [
      "a policy created in a later transaction",
      "ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;\nVACUUM accounts;\nCREATE POLICY p ON accounts USING (true);",
    ],
  ])("fires on %s", (_name, sql) => {
    const findings = findingsOf(rule, sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain("existing table accounts");
    expect(findings[0]?.message).toContain("return no rows");
  });

  it("fires on a table created by an earlier migration, at the statement", () => {
    const findings = findingsOf(rule, [
      "CREATE TABLE accounts (id bigint);",
      "-- lock it down\n  ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;",
    ]);
    expect(findings.map((f) => [f.file, f.line, f.column])).toEqual([["0002_test.sql", 2, 3]]);
  });

  it.each([
    [
      "a policy created first in the same transaction",
      "CREATE POLICY p ON accounts USING (true);\nALTER TABLE accounts ENABLE ROW LEVEL SECURITY;",
    ],
    [
      "a policy created after it in the same transaction",
      "ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;\nCREATE POLICY p ON accounts USING (true);",
    ],
    [
      "a table created in the same migration",
      "CREATE TABLE a (id int);\nALTER TABLE a ENABLE ROW LEVEL SECURITY;",
    ],
    ["FORCE ROW LEVEL SECURITY", "ALTER TABLE accounts FORCE ROW LEVEL SECURITY;"],
    ["DISABLE ROW LEVEL SECURITY", "ALTER TABLE accounts DISABLE ROW LEVEL SECURITY;"],
    [
      "ignored by directive",
      "-- safemigrate:ignore enable-rls-without-policy -- the app connects as the owner\nALTER TABLE accounts ENABLE ROW LEVEL SECURITY;",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });

  it("does not fire when an earlier migration created a policy on the table", () => {
    expect(
      findingsOf(rule, [
        "CREATE POLICY p ON accounts USING (true);",
        "ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;",
      ]),
    ).toEqual([]);
  });
});
