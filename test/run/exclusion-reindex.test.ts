/**
 * REINDEX of an exclusion constraint's index: Postgres rejects the CONCURRENTLY form, and REINDEX TABLE
 * CONCURRENTLY skips that index. `up` therefore never rewrites such a REINDEX: it stops at the gate, and
 * with --unsafe runs it as written, which Postgres accepts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { cli, gateOf, migrationDir } from "./helpers.js";

const SETUP = `CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE r (id int, during tstzrange, EXCLUDE USING gist (id WITH =, during WITH &&));
INSERT INTO r SELECT g, tstzrange(now(), now() + interval '1 day') FROM generate_series(1, 100) g;`;

describe.each(testMajors())("REINDEX of an exclusion index on Postgres %s", (major) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(major);
  });
  afterAll(() => db?.drop());

  const fileNode = () => db.sql`SELECT relfilenode FROM pg_class WHERE relname = 'r_id_during_excl'`;

  it("Postgres refuses the concurrent forms the rewrite would send", async () => {
    await db.sql.unsafe(SETUP);
    await expect(db.sql.unsafe("REINDEX INDEX CONCURRENTLY r_id_during_excl")).rejects.toThrow(
      "concurrent index creation for exclusion constraints is not supported",
    );
    // REINDEX TABLE CONCURRENTLY leaves the exclusion index as it was (a warning says it was skipped).
    const [before] = await fileNode();
    await db.sql.unsafe("REINDEX TABLE CONCURRENTLY r");
    expect((await fileNode())[0]?.relfilenode).toBe(before?.relfilenode);
    await db.sql.unsafe("DROP TABLE r");
  });

  it("up stops at the gate with the reason, and with --unsafe runs the REINDEX as written", async () => {
    const dir = migrationDir({
      "001_setup.sql": SETUP,
      "002_reindex.sql": "REINDEX INDEX r_id_during_excl;\n",
    });
    expect((await cli(["up", dir, "--to", "001", "--unsafe"], db.url)).code).toBe(0);
    // --small-table-rows 0: the 100-row table counts as one that serves traffic.
    const refused = await cli(["up", dir, "--log-format", "json", "--small-table-rows", "0"], db.url);
    expect(refused.code).toBe(1);
    const gate = gateOf(refused.events);
    expect(gate.blocked.map((f) => f.rule)).toEqual(["reindex-non-concurrent"]);
    expect(gate.blocked[0]?.message).toContain("which Postgres cannot rebuild concurrently");
    const [before] = await fileNode();
    const forced = await cli(["up", dir, "--unsafe", "--log-format", "json"], db.url);
    expect(forced.code).toBe(0);
    const ran = forced.events.filter((e) => e.event === "step-start").map((e) => e.sql);
    expect(ran).toEqual(["REINDEX INDEX r_id_during_excl"]);
    // Rebuilt: a new file for the index.
    expect((await fileNode())[0]?.relfilenode).not.toBe(before?.relfilenode);
  });
});
