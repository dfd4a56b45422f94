import { describe, expect, it } from "vitest";
import { findingsOf, lintSql } from "../../../test/support/lint.js";

const rule = "contract-in-expand";

describe(rule, () => {
  it.each([
    ["DROP COLUMN", "-- safemigrate:expand\nALTER TABLE users DROP COLUMN email;"],
    ["a rename", "-- safemigrate:expand\nALTER TABLE users RENAME TO customers;"],
    ["a new required column", "-- safemigrate:expand\nALTER TABLE users ADD COLUMN tenant bigint NOT NULL;"],
    ["TRUNCATE", "-- safemigrate:expand\nTRUNCATE users;"],
    [
      "a statement before the first contract marker, multi-line",
      "DROP TABLE\n  legacy_users;\n-- safemigrate:contract\nDROP TABLE old_orders;",
    ],
  ])("fires on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toHaveLength(1);
  });

  it("reports at the statement, alongside the more specific rule", () => {
    const sql = "-- safemigrate:expand\nCREATE TABLE t (id bigint);\n  ALTER TABLE users DROP COLUMN email;";
    const findings = lintSql([sql]).filter((f) => f.category === "compat");
    expect(findings.map((f) => [f.rule, f.line, f.column])).toEqual([
      ["contract-in-expand", 3, 3],
      ["drop-column", 3, 3],
    ]);
  });

  it.each([
    ["a file without phase markers", "ALTER TABLE users DROP COLUMN email;"],
    [
      "the contract section",
      "-- safemigrate:expand\nALTER TABLE users ADD COLUMN mail text;\n-- safemigrate:contract\nALTER TABLE users DROP COLUMN email;",
    ],
    ["an additive change", "-- safemigrate:expand\nALTER TABLE users\n  ADD COLUMN mail text;"],
    [
      "a table created in the same migration",
      "-- safemigrate:expand\nCREATE TABLE t (id bigint, x text);\nALTER TABLE t DROP COLUMN x;\nALTER TABLE t RENAME TO u;",
    ],
    [
      "ignored by directive",
      "-- safemigrate:expand\n-- safemigrate:ignore contract-in-expand, drop-column -- nothing reads it\nALTER TABLE users DROP COLUMN email;",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
