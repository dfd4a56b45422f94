/**
 * The lint gate counts a finding as resolved by a rewrite only when the statements that will run contain
 * that rewrite: not when the rewrite was dropped (it did not print back), not when a no-rewrite directive
 * turned it off, and not because another statement of the same step was rewritten.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { cli, gateOf, migrationDir } from "./helpers.js";

// More rows than the gate's small-table limit (1000), so that only a rewrite or --unsafe lets a finding pass.
const SETUP = "CREATE TABLE t (id int, a int);\nINSERT INTO t SELECT g, g FROM generate_series(1, 5000) g;";

describe.each(testMajors())("the lint gate and the rewrites on Postgres %s", (major) => {
  const databases: TestDatabase[] = [];
  const database = async () => {
    const db = await createTestDatabase(major);
    databases.push(db);
    return db;
  };
  afterAll(() => Promise.all(databases.map((d) => d.drop())));

  it("blocks a finding whose rewrite was dropped, though its step holds another statement's rewrite", async () => {
    const db = await database();
    const dir = migrationDir({
      "001_setup.sql": SETUP,
      // COMPRESSION does not print back, so the first statement runs as written, in one step with the
      // NOT VALID half of the second statement's rewrite.
      "002_checks.sql":
        "ALTER TABLE t ADD COLUMN c text COMPRESSION pglz, ADD CHECK (a > 0);\nALTER TABLE t ADD CHECK (id > 0);",
    });
    await cli(["up", dir, "--to", "001"], db.url);
    const run = await cli(["up", dir, "--log-format", "json"], db.url);
    expect(run.code).toBe(1);
    const gate = gateOf(run.events);
    expect(gate.blocked.map((f) => [f.rule, f.line])).toEqual([["constraint-missing-not-valid", 1]]);
    expect(gate.passed.map((p) => [p.finding.rule, p.finding.line, p.reason])).toEqual([
      ["constraint-missing-not-valid", 2, "rewrite"],
    ]);
    const [column] =
      await db.sql`SELECT count(*)::int AS n FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'c'`;
    expect(column?.n).toBe(0);
  });

  it("runs the statement after no-rewrite as written: its findings need an ignore, the next is rewritten", async () => {
    const db = await database();
    const statements = "CREATE INDEX t_a ON t (a);\nCREATE INDEX t_id ON t (id);";
    const blocked = migrationDir({
      "001_setup.sql": SETUP,
      "002_indexes.sql": `-- safemigrate:no-rewrite\n${statements}`,
    });
    await cli(["up", blocked, "--to", "001"], db.url);
    const refused = await cli(["up", blocked, "--log-format", "json"], db.url);
    expect(refused.code).toBe(1);
    const gate = gateOf(refused.events);
    expect(gate.blocked.map((f) => [f.rule, f.line])).toEqual([["create-index-non-concurrent", 2]]);
    expect(gate.passed.map((p) => [p.finding.line, p.reason])).toEqual([[3, "rewrite"]]);

    const acknowledged = migrationDir({
      "001_setup.sql": SETUP,
      "002_indexes.sql": `-- safemigrate:no-rewrite\n-- safemigrate:ignore create-index-non-concurrent -- small enough\n${statements}`,
    });
    const run = await cli(["up", acknowledged, "--log-format", "json"], db.url);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const steps = run.events
      .filter((e) => e.event === "step-done" && e.version === "002")
      .map((e) => [e.kind, e.sql, e.rewrittenFrom]);
    expect(steps).toEqual([
      ["sql", "CREATE INDEX t_a ON t (a)", null],
      [
        "create-index-concurrently",
        "CREATE INDEX CONCURRENTLY t_id ON t (id)",
        "CREATE INDEX t_id ON t (id)",
      ],
    ]);
    const indexes = await db.sql`
      SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = 't'::regclass ORDER BY 1`;
    expect(indexes.map((r) => ({ ...r }))).toEqual([
      { name: "t_a", valid: true },
      { name: "t_id", valid: true },
    ]);
  });
});
