import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "column-type-change";

/** The column is created by an earlier migration file, so its type is known and the table is existing. */
const known = (column: string, change: string) => [
  `CREATE TABLE t (id bigint, ${column});`,
  `ALTER TABLE t ALTER COLUMN c TYPE ${change};`,
];

describe(rule, () => {
  it.each([
    ["int to bigint", "c int", "bigint", "from int4 to int8"],
    ["varchar narrowing", "c varchar(20)", "varchar(10)", "from varchar(20) to varchar(10)"],
    ["text to varchar(n)", "c text", "varchar(10)", "from text to varchar(10)"],
    ["numeric scale change", "c numeric(10,2)", "numeric(12,4)", "from numeric(10,2) to numeric(12,4)"],
    ["numeric precision narrowing", "c numeric(10,2)", "numeric(8,2)", "to numeric(8,2)"],
    ["varbit narrowing", "c varbit(8)", "varbit(4)", "to varbit(4)"],
    ["inet to cidr", "c inet", "cidr", "from inet to cidr"],
    ["timestamp to timestamptz", "c timestamp", "timestamptz", "from timestamp to timestamptz"],
    ["a widening with USING", "c varchar(10)", "varchar(20) USING upper(c)", "with USING"],
  ])("fires on %s", (_name, column, change, expected) => {
    const findings = findingsOf(rule, known(column, change));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(expected);
  });

  it("fires, saying so, when the current type is unknown (a table from before the migration set)", () => {
    const findings = findingsOf(rule, "ALTER TABLE users\n  ALTER COLUMN id SET DATA TYPE bigint;");
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ line: 2, column: 3, endLine: 2, endColumn: 32 });
    expect(findings[0]?.message).toBe(
      "changing column id of existing table users to int8 is assumed to rewrite the table and its indexes under an ACCESS EXCLUSIVE lock, as its current type is unknown here",
    );
  });

  it("fires on a column added earlier in the same migration to an existing table (Postgres still rewrites)", () => {
    const findings = findingsOf(
      rule,
      "ALTER TABLE users ADD COLUMN n int;\nALTER TABLE users ALTER COLUMN n TYPE bigint;",
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ line: 2, column: 19 });
  });

  it.each([
    ["varchar(n) to a larger varchar(m)", "c varchar(10)", "varchar(20)"],
    ["varchar(n) to text", "c varchar(10)", "text"],
    ["varchar(n) to unbounded varchar", "c varchar(10)", "varchar"],
    ["numeric(p,s) to numeric(p2>p,s)", "c numeric(5,2)", "numeric(8,2)"],
    ["numeric(p,s) to unbounded numeric", "c numeric(5,2)", "numeric"],
    ["varbit(n) widening", "c varbit(4)", "varbit(8)"],
    ["cidr to inet", "c cidr", "inet"],
    ["the same type", "c text", "text"],
  ])("does not fire on %s", (_name, column, change) => {
    expect(findingsOf(rule, known(column, change))).toEqual([]);
  });

  it.each([
    [
      "a table created in the same migration",
      "CREATE TABLE t (id bigint, c int);\nALTER TABLE t\n  ALTER COLUMN c TYPE bigint;",
    ],
    [
      "ignored by directive",
      "-- safemigrate:ignore column-type-change -- tiny lookup table\nALTER TABLE users ALTER COLUMN id TYPE bigint;",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
