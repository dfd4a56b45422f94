/**
 * Hostile identifiers in every rewrite the runner generates: quotes, spaces, mixed case, reserved words,
 * 63-byte names and non-ASCII, in schema, table, column, constraint and index names. The rewritten run must
 * succeed and reach the same catalog as the SQL as written (an unquoted name would fold to lower case, split
 * at a space or fail to parse), with every index valid, every constraint validated, no helper left.
 */
import { describe, expect, it } from "vitest";
import { cli, databasePair, migrationDir } from "../run/helpers.js";
import { type TestDatabase, testMajors } from "../support/postgres.js";

/** 63 bytes, the limit: 31 two-byte characters and one more. */
const LONG = `${"ä".repeat(31)}x`;
const S = `"Odd ""Schema"""`;
const PARENT = `${S}."Parent Table"`;
const CHILD = `${S}."Child""s ${"é"}"`;
const OTHER = `${S}."${LONG}"`;

const SETUP = `
CREATE SCHEMA ${S};
CREATE TABLE ${PARENT} ("ID" bigint PRIMARY KEY);
CREATE TABLE ${CHILD} ("select" bigint, "Parent Id" bigint, "e-mail" text, "Qty" int, "nöte ""x""" text);
CREATE TABLE ${OTHER} ("order" int, "Code" text);
INSERT INTO ${PARENT} SELECT g FROM generate_series(1, 50) g;
INSERT INTO ${CHILD} SELECT g, 1 + g % 50, 'u' || g, g, 'n' FROM generate_series(1, 500) g;
INSERT INTO ${OTHER} SELECT g, 'c' || g FROM generate_series(1, 500) g;
CREATE INDEX "Other ""Code"" idx" ON ${OTHER} ("Code");
CREATE INDEX "Parent.Plus" ON ${PARENT} (("ID" + 1));
`;

const UNSAFE = `
ALTER TABLE ${CHILD} ADD CONSTRAINT "Child→Parent" FOREIGN KEY ("Parent Id") REFERENCES ${PARENT} ("ID");
ALTER TABLE ${CHILD} ADD CHECK ("Qty" > 0);
CREATE INDEX ON ${CHILD} (lower("e-mail"));
CREATE UNIQUE INDEX "Child E-Mail Key" ON ${CHILD} ("e-mail");
ALTER TABLE ${CHILD} ALTER COLUMN "nöte ""x""" SET NOT NULL;
ALTER TABLE ${CHILD} ADD PRIMARY KEY ("select");
ALTER TABLE ${OTHER} ADD CONSTRAINT "${"ü".repeat(31)}k" UNIQUE ("Code");
ALTER TABLE ${OTHER} ALTER COLUMN "order" SET NOT NULL;
ALTER TABLE ${OTHER} ADD COLUMN "Parent ""Ref""" bigint REFERENCES ${PARENT} ("ID");
DROP INDEX ${S}."Other ""Code"" idx";
REINDEX INDEX ${S}."Parent.Plus";
`;

async function catalog(db: TestDatabase) {
  const where = db.sql`(SELECT oid FROM pg_namespace WHERE nspname = 'Odd "Schema"')`;
  const indexes = await db.sql`
    SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def, i.indisvalid AS valid
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = ${where} ORDER BY 1`;
  const constraints = await db.sql`
    SELECT conrelid::regclass::text AS "table", conname AS name, contype AS type, convalidated AS valid,
      pg_get_constraintdef(oid) AS def
    FROM pg_constraint WHERE connamespace = ${where} AND contype <> 'n' ORDER BY 1, 2`;
  const notNull = await db.sql`
    SELECT attrelid::regclass::text AS "table", attname AS column FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    WHERE c.relnamespace = ${where} AND c.relkind = 'r' AND attnum > 0 AND attnotnull ORDER BY 1, 2`;
  return { indexes: [...indexes], constraints: [...constraints], notNull: [...notNull] };
}

describe.each(testMajors())("hostile identifiers in the rewrites on Postgres %s", (major) => {
  const databases = databasePair(major);
  const dir = migrationDir({ "001_setup.sql": SETUP, "002_changes.sql": UNSAFE });

  it("the 63-byte name is at the limit", () => {
    expect(Buffer.byteLength(LONG)).toBe(63);
  });

  it("are quoted in every generated statement and reach the end state of the SQL as written", async () => {
    const { rewritten, asWritten } = databases;
    const safe = await cli(["up", dir, "--log-format", "json"], rewritten.url);
    expect(safe.stderr).toBe("");
    expect(safe.code).toBe(0);
    const plain = await cli(["up", dir, "--no-rewrite", "--unsafe"], asWritten.url);
    expect(plain.stderr).toBe("");
    expect(plain.code).toBe(0);
    const kinds = new Set(safe.events.filter((e) => e.event === "step-done").map((e) => e.kind));
    expect(kinds).toEqual(new Set(["sql", "create-index-concurrently", "concurrent"]));
    const rewrites = safe.events.filter((e) => e.event === "step-done" && e.rewrittenFrom);
    expect(rewrites.length).toBeGreaterThanOrEqual(11);
    // Every generated statement names the schema in its quoted spelling only.
    for (const step of rewrites) {
      const sql = String(step.sql);
      expect(sql.split("Odd").length).toBe(sql.split(S).length);
    }

    const after = await catalog(rewritten);
    expect(after).toEqual(await catalog(asWritten));
    expect(after.indexes.every((i) => i.valid)).toBe(true);
    expect(after.constraints.every((c) => c.valid)).toBe(true);
    expect(after.constraints.filter((c) => String(c.name).includes("sm_not_null"))).toEqual([]);
    expect(after.indexes.map((i) => i.name)).not.toContain('Other "Code" idx');
  });
});
