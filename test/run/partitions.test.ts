/**
 * Partitioned tables through `up` on real Postgres: the routes through the partitions reach the same catalog
 * as the SQL as written (indexes valid on the parent and each partition, constraints validated and attached),
 * never send what Postgres rejects on a partitioned table, leave traffic on other tables alone, and resume
 * after a failure part-way through the partitions.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import {
  buildCli,
  cli,
  databasePair,
  gateOf,
  migrationDir,
  runnerSessions,
  spawnCli,
  waitFor,
  writeFiles,
} from "./helpers.js";

const SETUP = `
CREATE TABLE ref (id int PRIMARY KEY);
INSERT INTO ref SELECT generate_series(1, 100);
CREATE TABLE other (id int, note text);
CREATE TABLE ev (id int NOT NULL, k int NOT NULL, r int, note text) PARTITION BY RANGE (k);
CREATE TABLE ev1 PARTITION OF ev FOR VALUES FROM (0) TO (100);
CREATE TABLE ev2 PARTITION OF ev FOR VALUES FROM (100) TO (200);
INSERT INTO ev SELECT g, g % 200, 1 + g % 100, 'n' || g FROM generate_series(1, 4000) g;
CREATE TABLE sub (id int NOT NULL, k int NOT NULL, r int) PARTITION BY LIST (k);
CREATE TABLE sub1 PARTITION OF sub FOR VALUES IN (1, 2) PARTITION BY LIST (id);
CREATE TABLE sub1a PARTITION OF sub1 FOR VALUES IN (1);
CREATE TABLE sub1b PARTITION OF sub1 DEFAULT;
CREATE TABLE sub2 PARTITION OF sub DEFAULT;
INSERT INTO sub SELECT g, g % 4, 1 + g % 100 FROM generate_series(1, 2000) g;
`;

const UNSAFE = `
CREATE INDEX ON ev (k);
CREATE UNIQUE INDEX ev_id_k_uniq ON ev (id, k);
ALTER TABLE ev ADD CONSTRAINT ev_r_fkey FOREIGN KEY (r) REFERENCES ref (id) ON DELETE SET NULL;
ALTER TABLE ev ADD CHECK (id > 0);
ALTER TABLE ev ALTER COLUMN note SET NOT NULL;
ALTER TABLE ev ADD PRIMARY KEY (id, k);
CREATE INDEX sub_k ON sub (k);
ALTER TABLE sub ADD FOREIGN KEY (r) REFERENCES ref;
ALTER TABLE sub ADD PRIMARY KEY (id, k);
`;

/** What `up` leaves behind, for every relation of the public schema. */
async function catalog(db: TestDatabase) {
  const indexes = await db.sql`
    SELECT c.relname AS name, t.relname AS "table", pg_get_indexdef(i.indexrelid) AS def, i.indisvalid AS valid,
      (SELECT p.relname FROM pg_inherits h JOIN pg_class p ON p.oid = h.inhparent WHERE h.inhrelid = c.oid) AS parent
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
    WHERE c.relnamespace = 'public'::regnamespace ORDER BY 1`;
  const constraints = await db.sql`
    SELECT conrelid::regclass::text AS "table", conname AS name, contype AS type, convalidated AS valid,
      pg_get_constraintdef(oid) AS def, conparentid <> 0 AS inherited
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`;
  const notNull = await db.sql`
    SELECT attrelid::regclass::text AS "table", attname AS column FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND attnum > 0 AND attnotnull
    ORDER BY 1, 2`;
  return { indexes, constraints, notNull };
}

describe.each(testMajors())("partitioned tables through up on Postgres %s", (major) => {
  const databases = databasePair(major);
  const dir = migrationDir({ "001_setup.sql": SETUP, "002_changes.sql": UNSAFE });

  it("apply with the same end state as the SQL as written, every index valid and constraint validated", async () => {
    const { rewritten, asWritten } = databases;
    await cli(["up", dir, "--to", "001"], rewritten.url);
    // Application traffic on another table while the migration runs: never waits for a lock.
    let running = true;
    let writes = 0;
    const traffic = (async () => {
      const conn = await rewritten.sql.reserve();
      try {
        await conn`SET lock_timeout = '100ms'`;
        while (running) {
          await conn`INSERT INTO other VALUES (${writes}, 'x')`;
          await conn`SELECT count(*) FROM other`;
          writes++;
        }
      } finally {
        conn.release();
      }
    })();
    const safe = await cli(["up", dir, "--log-format", "json"], rewritten.url);
    running = false;
    await traffic;
    expect(safe.stderr).toBe("");
    expect(safe.code).toBe(0);
    expect(writes).toBeGreaterThan(0);
    const plain = await cli(["up", dir, "--no-rewrite", "--unsafe"], asWritten.url);
    expect(plain.code).toBe(0);

    // Every error finding was resolved by a route: the gate passed without --unsafe.
    const gate = gateOf(safe.events);
    expect(gate.blocked).toEqual([]);
    const steps = safe.events.filter((e) => e.event === "step-done") as Array<Record<string, unknown>>;
    const sql = steps.map((s) => String(s.sql));
    // Nothing Postgres rejects on a partitioned table was sent.
    expect(sql.filter((s) => /CONCURRENTLY \S+ ON (ev|sub|sub1) /.test(s))).toEqual([]);
    if (Number(major) < 18)
      expect(sql.filter((s) => /TABLE ev ADD [^;]*FOREIGN KEY[^;]*NOT VALID/.test(s))).toEqual([]);
    expect(sql).toContain("CREATE INDEX CONCURRENTLY sub1a_k_idx ON sub1a (k)");
    for (const step of steps)
      expect((step.locks as Array<{ relation: string }>).map((l) => l.relation)).not.toContain("other");

    const after = await catalog(rewritten);
    expect(after).toEqual(await catalog(asWritten));
    expect(after.indexes.filter((i) => !i.valid)).toEqual([]);
    expect(after.constraints.filter((c) => !c.valid)).toEqual([]);
    expect(after.constraints.map((c) => c.name).filter((n) => n.includes("sm_not_null"))).toEqual([]);
    // The partitions' indexes and keys are attached to the parent's.
    expect(after.indexes.find((i) => i.name === "ev2_k_idx")?.parent).toBe("ev_k_idx");
    expect(after.indexes.find((i) => i.name === "sub1b_k_idx")?.parent).toBe("sub1_k_idx");
    expect(
      after.constraints.filter((c) => c.name === "ev_r_fkey").map((c) => [c.table, c.inherited]),
    ).toEqual([
      ["ev", false],
      ["ev1", true],
      ["ev2", true],
    ]);
    expect(after.notNull).toContainEqual({ table: "ev2", column: "note" });
    // Below a sub-partitioned partition too.
    expect(after.indexes.find((i) => i.name === "sub1a_pkey")?.parent).toBe("sub1_pkey");
    expect(after.constraints.find((c) => c.table === "sub1b" && c.name === "sub_r_fkey")?.inherited).toBe(
      true,
    );
  });
});

describe.each(testMajors())("the partition index route resumes on Postgres %s", (major) => {
  let db: TestDatabase;
  let launcher: string;
  beforeAll(async () => {
    [db, launcher] = await Promise.all([createTestDatabase(major), buildCli()]);
  });
  afterAll(() => db?.drop());

  it("killed after one partition's build, with an INVALID partition index left behind, then run again", async () => {
    const dir = migrationDir({ "001_setup.sql": SETUP });
    expect((await cli(["up", dir], db.url)).code).toBe(0);
    // What a killed or failed concurrent build leaves: an INVALID index under the name the route uses.
    await db.sql`INSERT INTO ev1 VALUES (1, 1, 1, 'dup')`;
    await db.sql.unsafe("CREATE UNIQUE INDEX CONCURRENTLY ev1_k_idx ON ev1 (k)").catch(() => {});
    const [leftover] = await db.sql`SELECT indisvalid FROM pg_index WHERE indexrelid = 'ev1_k_idx'::regclass`;
    expect(leftover?.indisvalid).toBe(false);
    writeFiles(dir, { "002_index.sql": "CREATE INDEX ON ev (k);\n" });

    // A session holding a lock on the second partition makes its concurrent build wait; the runner is
    // killed there, after the first partition's index was built and attached.
    const holder = await db.sql.reserve();
    await holder`BEGIN`;
    await holder`LOCK TABLE ev2 IN SHARE UPDATE EXCLUSIVE MODE`;
    const child = spawnCli(launcher, ["up", dir, "--log-format", "json"], db.url);
    await waitFor(
      async () => {
        const [row] = await db.sql`
          SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE a.application_name = 'safemigrate' AND NOT l.granted AND l.relation = 'ev2'::regclass`;
        return (row?.n ?? 0) > 0;
      },
      30_000,
      "the second partition's build to wait",
    );
    expect(child.output()).toContain('"dropped":["ev1_k_idx"]');
    child.process.kill("SIGKILL");
    await child.exited;
    await waitFor(async () => (await runnerSessions(db)).length === 0, 15_000, "the runner's session to end");
    await holder`ROLLBACK`;
    holder.release();
    const built = await db.sql`
      SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE c.relname IN ('ev_k_idx', 'ev1_k_idx', 'ev2_k_idx') ORDER BY 1`;
    expect(built).toEqual([
      { name: "ev1_k_idx", valid: true },
      { name: "ev_k_idx", valid: false },
    ]);

    const rerun = await cli(["up", dir, "--log-format", "json"], db.url);
    expect(rerun.code).toBe(0);
    const skipped = rerun.events.filter((e) => e.event === "step-skip").map((e) => e.step);
    expect(skipped).toEqual([1, 2, 3]);
    expect(rerun.events.filter((e) => e.event === "step-done").map((e) => e.step)).toEqual([4, 5]);
    const after = await db.sql`
      SELECT c.relname AS name, i.indisvalid AS valid, pg_get_indexdef(i.indexrelid) AS def
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE c.relname IN ('ev_k_idx', 'ev1_k_idx', 'ev2_k_idx') ORDER BY 1`;
    expect(after.map((i) => [i.name, i.valid])).toEqual([
      ["ev1_k_idx", true],
      ["ev2_k_idx", true],
      ["ev_k_idx", true],
    ]);
    // The leftover was a unique index; the rebuilt one is what the migration asks for.
    expect(after[0]?.def).toBe("CREATE INDEX ev1_k_idx ON public.ev1 USING btree (k)");
  });
});

describe.each(testMajors())("partitions read from the catalog on Postgres %s", (major) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(major);
    // Partitioned before the migration set starts: only the catalog knows its partitions.
    await db.sql.unsafe(SETUP);
  });
  afterAll(() => db?.drop());

  const dir = migrationDir({ "001_index.sql": "CREATE INDEX ev_k ON ev (k);\n" });

  it("plan --database-url and up take the route for a table the set never created", async () => {
    const { plan } = await import("../../src/plan/plan.js");
    const planned = await plan({ path: dir, databaseUrl: db.url, trace: false });
    const statements = planned.migrations[0]?.steps.flatMap((s) => s.sql.replace(/;$/, "").split(";\n"));
    expect(statements).toEqual([
      "CREATE INDEX ev_k ON ONLY ev (k)",
      "CREATE INDEX CONCURRENTLY ev1_k_idx ON ev1 (k)",
      "ALTER INDEX ev_k ATTACH PARTITION ev1_k_idx",
      "CREATE INDEX CONCURRENTLY ev2_k_idx ON ev2 (k)",
      "ALTER INDEX ev_k ATTACH PARTITION ev2_k_idx",
    ]);
    const run = await cli(["up", dir, "--log-format", "json"], db.url);
    expect(run.code).toBe(0);
    const [index] = await db.sql`SELECT indisvalid FROM pg_index WHERE indexrelid = 'ev_k'::regclass`;
    expect(index?.indisvalid).toBe(true);
  });

  it("up refuses a statement with no safe route, saying why, and runs nothing", async () => {
    writeFiles(dir, { "002_pk.sql": "ALTER TABLE ev ADD PRIMARY KEY (r, k);\n" });
    const run = await cli(["up", dir, "--log-format", "json"], db.url);
    expect(run.code).toBe(1);
    const gate = gateOf(run.events);
    expect(gate.blocked.map((f) => f.rule)).toEqual(["unique-constraint-without-index"]);
    expect(gate.blocked[0]?.message).toContain(
      "no safe route exists: the primary key's columns (r) must be known to be NOT NULL on every partition first",
    );
    expect(run.events.filter((e) => e.event === "step-start")).toEqual([]);
  });

  it("up refuses a NOT VALID foreign key on a partitioned table where the server rejects it, and runs it where not", async () => {
    const fk = "ALTER TABLE ev ADD CONSTRAINT ev_r_nv FOREIGN KEY (r) REFERENCES ref NOT VALID;\n";
    const only = migrationDir({ "001_fk.sql": fk });
    const run = await cli(["up", only, "--log-format", "json", "--history-schema", "h_fk"], db.url);
    if (Number(major) < 18) {
      expect(run.code).toBe(1);
      const gate = gateOf(run.events);
      expect(gate.blocked.map((f) => f.rule)).toEqual(["fails-on-postgres"]);
      expect(gate.blocked[0]?.message).toContain(`Postgres ${major} rejects a NOT VALID foreign key`);
      expect(run.events.filter((e) => e.event === "step-start")).toEqual([]);
      // What the rule says: Postgres itself refuses it.
      await expect(db.sql.unsafe(fk)).rejects.toThrow(
        "cannot add NOT VALID foreign key on partitioned table",
      );
    } else {
      expect(run.code).toBe(0);
      const keys = await db.sql`SELECT convalidated FROM pg_constraint WHERE conname = 'ev_r_nv'`;
      expect(keys.map((k) => k.convalidated)).toEqual([false, false, false]);
    }
  });
});

const QUOTED_SETUP = `CREATE SCHEMA "My Schema";
CREATE TABLE "My Schema"."Ref" (id int PRIMARY KEY);
INSERT INTO "My Schema"."Ref" SELECT g FROM generate_series(1, 10) g;
CREATE TABLE "My Schema"."Ev.Ents" (id int NOT NULL, "K" int NOT NULL, "select" int) PARTITION BY RANGE ("K");
CREATE TABLE "My Schema"."Ev 1" PARTITION OF "My Schema"."Ev.Ents" FOR VALUES FROM (0) TO (100);
CREATE TABLE "My Schema".order PARTITION OF "My Schema"."Ev.Ents" FOR VALUES FROM (100) TO (200);
INSERT INTO "My Schema"."Ev.Ents" SELECT g, g, g % 10 + 1 FROM generate_series(0, 199) g;`;

describe.each(testMajors())("partition routes with names that need quotes on Postgres %s", (major) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(major);
  });
  afterAll(() => db?.drop());

  it("build, attach and validate under names with spaces, dots, capitals and reserved words", async () => {
    const dir = migrationDir({
      "001_setup.sql": QUOTED_SETUP,
      "002_changes.sql": `CREATE INDEX ON "My Schema"."Ev.Ents" ("select");
ALTER TABLE "My Schema"."Ev.Ents" ADD CONSTRAINT "Fk" FOREIGN KEY ("select") REFERENCES "My Schema"."Ref";`,
    });
    const run = await cli(["up", dir, "--log-format", "json"], db.url);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const indexes = await db.sql`
      SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE c.relnamespace = '"My Schema"'::regnamespace AND NOT i.indisprimary ORDER BY 1`;
    expect(indexes.map((i) => [i.name, i.valid])).toEqual([
      ["Ev 1_select_idx", true],
      ["Ev.Ents_select_idx", true],
      ["order_select_idx", true],
    ]);
    const keys = await db.sql`
      SELECT conrelid::regclass::text AS "table", convalidated AS valid FROM pg_constraint
      WHERE conname = 'Fk' ORDER BY 1`;
    expect(keys.map((k) => [k.table, k.valid])).toEqual([
      ['"My Schema"."Ev 1"', true],
      ['"My Schema"."Ev.Ents"', true],
      ['"My Schema"."order"', true],
    ]);
  });
});

describe.each(testMajors())("the unique route with names that need quotes on Postgres %s", (major) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(major);
  });
  afterAll(() => db?.drop());

  it("builds each partition's unique index under a plain name and adopts it under Postgres's own", async () => {
    const dir = migrationDir({
      "001_setup.sql": QUOTED_SETUP,
      "002_unique.sql": `ALTER TABLE "My Schema"."Ev.Ents" ADD CONSTRAINT "Uq" UNIQUE (id, "K");`,
    });
    const run = await cli(["up", dir, "--log-format", "json"], db.url);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const unique = await db.sql`
      SELECT conrelid::regclass::text AS "table", conname AS name, i.indisvalid AS valid
      FROM pg_constraint c JOIN pg_index i ON i.indexrelid = c.conindid
      WHERE c.contype = 'u' AND c.connamespace = '"My Schema"'::regnamespace ORDER BY 1`;
    expect(unique.map((u) => [u.table, u.name, u.valid])).toEqual([
      ['"My Schema"."Ev 1"', "Ev 1_id_K_key", true],
      ['"My Schema"."Ev.Ents"', "Uq", true],
      ['"My Schema"."order"', "order_id_K_key", true],
    ]);
  });
});
