import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";
import { createTestDatabase, type TestDatabase } from "../../../test/support/postgres.js";

const rule = "identifier-too-long";

/** 64 bytes, 64 characters. */
const ascii64 = `t${"x".repeat(63)}`;
/** 64 bytes, 32 characters. */
const twoByte64 = "é".repeat(32);
/** 63 bytes: the longest name Postgres keeps whole. */
const ascii63 = "x".repeat(63);
const twoByte63 = `${"é".repeat(31)}x`;
const threeByte63 = "€".repeat(21);

describe(rule, () => {
  it.each([
    ["a table name", `CREATE TABLE ${ascii64} (id bigint);`],
    ["an upper-case name, referenced", `INSERT INTO ${ascii64.toUpperCase()} VALUES (1);`],
    ["a column name", `ALTER TABLE users ADD COLUMN ${ascii64} text;`],
    ["an index name", `CREATE INDEX ${ascii64} ON users (email);`],
    ["a constraint name", `ALTER TABLE users ADD CONSTRAINT ${ascii64} CHECK (id > 0) NOT VALID;`],
    ["a sequence name", `CREATE SEQUENCE ${ascii64};`],
    ["a type name", `CREATE TYPE ${ascii64} AS ENUM ('a');`],
    ["a new name", `ALTER TABLE users RENAME COLUMN email TO ${ascii64};`],
    ["a quoted name of 32 two-byte characters", `CREATE TABLE "${twoByte64}" (id bigint);`],
    [
      "the same long name twice, multi-line",
      `CREATE TABLE t (\n  ${ascii64} text,\n  CHECK (${ascii64} <> '')\n);`,
    ],
  ])("fires on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toHaveLength(1);
  });

  it("points at the name and tells what Postgres keeps", () => {
    const sql = `-- héllo\nCREATE TABLE t (\n  id bigint,\n  "${twoByte64}" text\n);`;
    const [finding] = findingsOf(rule, sql);
    expect(finding).toMatchObject({ line: 4, column: 3, endLine: 4, endColumn: 37 });
    expect(finding?.message).toBe(
      `identifier "${twoByte64}" is 64 bytes long (the limit is 63); Postgres silently truncates it to "${"é".repeat(31)}"`,
    );
  });

  it.each([
    ["63 ASCII bytes", `CREATE TABLE ${ascii63} (id bigint);`],
    ["63 bytes of two-byte characters and ASCII", `CREATE TABLE "${twoByte63}" (id bigint);`],
    ["63 bytes of three-byte characters", `CREATE TABLE "${threeByte63}" (id bigint);`],
    ["a quoted name of 63 bytes with a doubled quote", `CREATE TABLE "${"x".repeat(61)}""y" (id bigint);`],
    ["a long string constant", `INSERT INTO t (note) VALUES ('${ascii64}');`],
    ["a long function body", `CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$ SELECT '${ascii64}' $$;`],
    [
      "ignored by directive",
      `-- safemigrate:ignore identifier-too-long -- legacy name\nCREATE TABLE\n  ${ascii64} (id bigint);`,
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });

  describe("on a real server", () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(async () => {
      await db?.drop();
    });

    it("keeps 63 bytes and cuts longer names at a character boundary", async () => {
      for (const name of [ascii64, twoByte64, ascii63, twoByte63])
        await db.sql.unsafe(`CREATE TABLE "${name}" ()`);
      const rows = await db.sql<{ relname: string }[]>`
        SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace`;
      expect(rows.map((r) => r.relname).sort()).toEqual(
        [ascii64.slice(0, 63), "é".repeat(31), ascii63, twoByte63].sort(),
      );
    });
  });
});
