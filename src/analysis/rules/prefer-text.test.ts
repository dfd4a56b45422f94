import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "prefer-text";

describe(rule, () => {
  it.each([
    ["varchar(n)", "CREATE TABLE t (name varchar(50));", "column t.name is varchar(50)"],
    ["character varying(n)", "CREATE TABLE t (name character varying(10));", "varchar(10)"],
    ["char(n)", "CREATE TABLE t (code char(2));", "char(2)"],
    ["character(n), multi-line", "CREATE TABLE t (\n  id bigint,\n  code character(3)\n);", "char(3)"],
    ["a new column", "ALTER TABLE users ADD COLUMN nick varchar(20);", "users.nick"],
  ])("fires on %s", (_name, sql, text) => {
    const findings = findingsOf(rule, sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(text);
  });

  it("points at the column definition", () => {
    const findings = findingsOf(rule, "CREATE TABLE t (id bigint,\n\tname varchar(50));");
    expect(findings[0]).toMatchObject({ line: 2, column: 2, endLine: 2, endColumn: 6 });
  });

  it.each([
    ["text", "CREATE TABLE t (name text);"],
    ["unbounded varchar", "CREATE TABLE t (name varchar);"],
    ["a type change of an existing column", "ALTER TABLE users ALTER COLUMN name TYPE varchar(100);"],
    [
      "ignored by directive",
      "-- safemigrate:ignore prefer-text -- ISO code\nCREATE TABLE t (\n  code char(2));",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
