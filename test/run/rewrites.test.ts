/**
 * The safe rewrites reach the same catalog state as the SQL as written: the same indexes (valid), the same
 * constraints (validated), the same NOT NULL columns, and no helper constraint left behind.
 */
import { describe, expect, it } from "vitest";
import { type TestDatabase, testMajors } from "../support/postgres.js";
import { cli, databasePair, gateOf, migrationDir } from "./helpers.js";

const SETUP = `
CREATE TABLE parent (id bigint PRIMARY KEY);
CREATE TABLE child (id bigint, parent_id bigint, email text, qty int, note text);
CREATE TABLE other (id int, code text);
INSERT INTO parent SELECT g FROM generate_series(1, 100) g;
INSERT INTO child SELECT g, 1 + g % 100, 'u' || g || '@x', g, 'n' FROM generate_series(1, 3000) g;
INSERT INTO other SELECT g, 'c' || g FROM generate_series(1, 3000) g;
CREATE INDEX other_code_idx ON other (code);
CREATE INDEX parent_id_plus ON parent ((id + 1));
`;

const UNSAFE = `
ALTER TABLE child ADD CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id);
ALTER TABLE child ADD CHECK (qty > 0);
CREATE INDEX ON child (lower(email));
CREATE UNIQUE INDEX child_email_key ON child (email);
ALTER TABLE child ALTER COLUMN note SET NOT NULL;
ALTER TABLE child ADD PRIMARY KEY (id);
ALTER TABLE other ADD CONSTRAINT other_code_key UNIQUE (code);
ALTER TABLE other ADD COLUMN parent_id bigint REFERENCES parent (id);
DROP INDEX other_code_idx;
REINDEX INDEX parent_id_plus;
`;

async function catalog(db: TestDatabase) {
  const indexes = await db.sql`
    SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def, i.indisvalid AS valid
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE c.relnamespace = 'public'::regnamespace ORDER BY 1`;
  const constraints = await db.sql`
    SELECT conrelid::regclass::text AS "table", conname AS name, contype AS type, convalidated AS valid,
      pg_get_constraintdef(oid) AS def
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`;
  const notNull = await db.sql`
    SELECT attrelid::regclass::text AS "table", attname AS column FROM pg_attribute
    WHERE attrelid IN ('child'::regclass, 'other'::regclass, 'parent'::regclass) AND attnum > 0 AND attnotnull
    ORDER BY 1, 2`;
  return { indexes, constraints, notNull };
}

describe.each(testMajors())("safe rewrites on Postgres %s", (major) => {
  const databases = databasePair(major);
  const dir = migrationDir({ "001_setup.sql": SETUP, "002_changes.sql": UNSAFE });

  it("apply with the same end state as the SQL as written", async () => {
    const { rewritten, asWritten } = databases;
    const safe = await cli(["up", dir, "--log-format", "json"], rewritten.url);
    expect(safe.stderr).toBe("");
    expect(safe.code).toBe(0);
    const plain = await cli(["up", dir, "--no-rewrite", "--unsafe"], asWritten.url);
    expect(plain.code).toBe(0);

    // Every error finding of 002 was resolved by a rewrite: the gate passed without --unsafe.
    const gate = gateOf(safe.events);
    expect(gate.blocked).toEqual([]);
    expect(gate.passed.filter((p) => p.reason === "rewrite").length).toBeGreaterThanOrEqual(8);
    const kinds = safe.events.filter((e) => e.event === "step-done").map((e) => e.kind);
    expect(kinds).toContain("create-index-concurrently");

    const after = await catalog(rewritten);
    expect(after).toEqual(await catalog(asWritten));
    expect(after.indexes.every((i) => i.valid)).toBe(true);
    expect(after.constraints.every((c) => c.valid)).toBe(true);
    expect(after.constraints.map((c) => c.name).filter((n) => n.includes("sm_not_null"))).toEqual([]);
    expect(after.notNull).toContainEqual({ table: "child", column: "note" });
    expect(after.indexes.map((i) => i.name)).toEqual(
      expect.arrayContaining(["child_lower_idx", "child_pkey", "other_code_key", "child_email_key"]),
    );
    expect(after.indexes.map((i) => i.name)).not.toContain("other_code_idx");
  });
});
