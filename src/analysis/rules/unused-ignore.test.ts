import { describe, expect, it } from "vitest";
import { findingsOf, lintSql } from "../../../test/support/lint.js";

const rule = "unused-ignore";

describe(rule, () => {
  it.each([
    ["an unknown rule", "-- safemigrate:ignore no-such-rule\nSELECT 1;", "unknown rule 'no-such-rule'"],
    [
      "an unknown rule next to a used one",
      "-- safemigrate:ignore drop-table, no-such-rule\nDROP TABLE users;",
      "unknown rule 'no-such-rule'",
    ],
    [
      "an ignore that silences nothing",
      "-- safemigrate:ignore drop-table\nSELECT 1;",
      "drop-table silences nothing",
    ],
    [
      "an ignore-file that silences nothing",
      "-- safemigrate:ignore-file truncate\nSELECT 1;\nDROP TABLE users;",
      "truncate silences nothing",
    ],
    ["an ignore naming no rule", "-- safemigrate:ignore -- just because\nDROP TABLE users;", "names no rule"],
    [
      "an unknown directive",
      "-- safemigrate:ignor drop-table\nDROP TABLE users;",
      "unknown directive 'safemigrate:ignor'",
    ],
    [
      "a rollback marker that is not on a line of its own",
      "SELECT 1; -- safemigrate:rollback\nSELECT 2;",
      "only as a -- comment on a line of its own",
    ],
    [
      "an ignore with no statement after it",
      "SELECT 1;\n-- safemigrate:ignore drop-table\n",
      "silences nothing",
    ],
  ])("fires on %s", (_name, sql, text) => {
    const findings = findingsOf(rule, sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.severity).toBe("warning");
    expect(findings[0]?.message).toContain(text);
  });

  it("reports at the directive, and a misspelt directive silences nothing", () => {
    const findings = lintSql("SELECT 1;\n  -- safemigrate:ignor drop-table\nDROP TABLE users;");
    expect(findings.find((f) => f.rule === rule)).toMatchObject({
      line: 2,
      column: 3,
      endLine: 2,
      endColumn: 34,
      statement: "-- safemigrate:ignor drop-table",
    });
    expect(findings.some((f) => f.rule === "drop-table")).toBe(true);
  });

  it.each([
    [
      "an ignore covering a multi-line statement",
      "-- safemigrate:ignore drop-table -- gone since v2\nDROP\n  TABLE\n  users;",
    ],
    [
      "a finding on a later line of the covered statement",
      "-- safemigrate:ignore prefer-text\nCREATE TABLE t (\n  id bigint,\n  code varchar(2)\n);",
    ],
    [
      "a used ignore-file",
      "-- safemigrate:ignore-file drop-table -- retiring the legacy schema\nSELECT 1;\nDROP TABLE a;\nDROP TABLE b;",
    ],
    ["a block-comment directive", "/* safemigrate:ignore drop-table */ DROP TABLE users;"],
    [
      "phase and transaction directives",
      "-- safemigrate:no-transaction\n-- safemigrate:expand\nSELECT 1;\n-- safemigrate:contract\nSELECT 2;",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
