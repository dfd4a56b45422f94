/**
 * `-- safemigrate:backfill` run by `up` and `contract` on real Postgres: batches along the key, each its own
 * transaction with its position in the history, progress as JSON events, the key refusals, and SIGINT
 * between batches (exit 130, nothing held while it waits, resumed by the next run). Small tables: the
 * 200,000-row SIGKILL run is in backfill-kill.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { buildCli, cli, migrationDir, parseEvents, spawnCli, waitFor, writeFiles } from "./helpers.js";

/** A table whose trigger counts the updates of each row. */
function countedTable(table: string, rows: number, key = "id bigint PRIMARY KEY"): string {
  return `CREATE TABLE ${table} (${key}, total numeric NOT NULL, total_cents bigint, updates int NOT NULL DEFAULT 0);
CREATE FUNCTION ${table.replaceAll(/\W/g, "")}_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.updates := OLD.updates + 1; RETURN NEW; END $$;
CREATE TRIGGER count_updates BEFORE UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${table.replaceAll(/\W/g, "")}_count();
INSERT INTO ${table} SELECT g, g / 100.0 FROM generate_series(1, ${rows}) g;`;
}

const FILL = 'set="total_cents = (total * 100)::bigint" where="total_cents IS NULL"';

describe.each(testMajors())("backfill on Postgres %s", (major) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(major);
  });
  afterAll(() => db?.drop());

  it("updates every row once, in batches that each commit their position, and reports each batch", async () => {
    await db.sql.unsafe(countedTable("orders", 2500));
    // Rows the WHERE leaves alone are walked but not updated.
    await db.sql.unsafe(`ALTER TABLE orders DISABLE TRIGGER count_updates;
      UPDATE orders SET total_cents = -1 WHERE id % 10 = 0; ALTER TABLE orders ENABLE TRIGGER count_updates`);
    const dir = migrationDir({
      "001_cents.sql": `ALTER TABLE orders ADD COLUMN note text;\n-- safemigrate:backfill table=orders ${FILL} batch=1000\nALTER TABLE orders ADD COLUMN done boolean;`,
    });
    const run = await cli(["up", dir, "--log-format", "json"], db.url);
    expect(run.code).toBe(0);
    const start = run.events.find((e) => e.event === "backfill-start");
    expect(start).toMatchObject({
      step: 2,
      kind: "backfill",
      key: "id",
      batch: 1000,
      rowsTotal: 2500,
      resumedAfter: null,
    });
    expect(start?.lockTimeoutMs).toBeUndefined();
    const stepStart = run.events.find((e) => e.event === "step-start" && e.step === 2);
    // A batch waits for application row locks under the run's lock_timeout (1s by default).
    expect(stepStart).toMatchObject({
      lockTimeoutMs: 1000,
      locks: [{ relation: "orders", mode: "RowExclusiveLock" }],
    });
    const progress = run.events.filter((e) => e.event === "backfill-progress");
    expect(progress.map((e) => [e.batches, e.rowsDone, e.rowsUpdated, e.lastKey, e.rowsTotal])).toEqual([
      [1, 1000, 900, "1000", 2500],
      [2, 2000, 1800, "2000", 2500],
      [3, 2500, 2250, "2500", 2500],
    ]);
    for (const e of progress) {
      expect(e.rowsPerSecond).toEqual(expect.any(Number));
      expect(e).toHaveProperty("etaMs");
    }
    expect(run.events.filter((e) => e.event === "step-done").map((e) => e.step)).toEqual([1, 2, 3]);
    const [rows] = await db.sql`
      SELECT count(*) FILTER (WHERE updates = 1 AND total_cents = (total * 100)::bigint)::int AS filled,
             count(*) FILTER (WHERE updates = 0 AND total_cents = -1)::int AS untouched,
             count(*)::int AS total FROM orders`;
    expect(rows).toEqual({ filled: 2250, untouched: 250, total: 2500 });
    const [record] =
      await db.sql`SELECT backfill, completed_at IS NOT NULL AS done FROM safemigrate.steps WHERE version = '001' AND step = 1`;
    expect(record).toEqual({
      backfill: { key: "id", last: "2500", rows: 2500, updated: 2250, batches: 3 },
      done: true,
    });
  });

  it("walks a named key of a quoted, schema-qualified table and refuses a table without a usable key", async () => {
    await db.sql.unsafe(`CREATE SCHEMA app;
      CREATE TABLE app."My Orders" ("Order Id" text NOT NULL UNIQUE, n int, m int);
      INSERT INTO app."My Orders" SELECT 'k' || g, g FROM generate_series(1, 25) g;
      CREATE TABLE nokey (id int, n int); CREATE TABLE pair (a int, b int, n int, PRIMARY KEY (a, b));
      CREATE TABLE loose (id int UNIQUE, n int)`);
    const dir = migrationDir({
      "001_fill.sql":
        '-- safemigrate:backfill table=\'app."My Orders"\' set="m = n * 2" batch=10 key="\\"Order Id\\""',
    });
    const run = await cli(["up", dir, "--log-format", "json", "--history-schema", "h_named"], db.url);
    expect(run.code).toBe(0);
    expect(run.events.filter((e) => e.event === "backfill-progress").map((e) => e.lastKey)).toEqual([
      "k18",
      "k4",
      "k9",
    ]);
    // A uuid key (no max() aggregate) walks in its btree order.
    await db.sql.unsafe(`CREATE TABLE tokens (id uuid PRIMARY KEY, n int, m int);
      INSERT INTO tokens SELECT md5(g::text)::uuid, g FROM generate_series(1, 25) g`);
    const uuids = migrationDir({
      "001_fill.sql": '-- safemigrate:backfill table=tokens set="m = n" batch=10',
    });
    const byUuid = await cli(["up", uuids, "--log-format", "json", "--history-schema", "h_uuid"], db.url);
    expect(byUuid.code).toBe(0);
    expect(byUuid.events.filter((e) => e.event === "backfill-progress").map((e) => e.rowsDone)).toEqual([
      10, 20, 25,
    ]);
    const [unfilled] = await db.sql`SELECT count(*)::int AS n FROM tokens WHERE m IS NULL`;
    expect(unfilled?.n).toBe(0);
    const [wrong] =
      await db.sql`SELECT count(*)::int AS n FROM app."My Orders" WHERE m IS DISTINCT FROM n * 2`;
    expect(wrong?.n).toBe(0);

    for (const [table, key, message] of [
      [
        "nokey",
        "",
        "backfill of nokey: the table has no primary key; name a unique NOT NULL column with key=",
      ],
      [
        "pair",
        "",
        "backfill of pair: its primary key has 2 columns (a, b); name a single unique NOT NULL column with key=",
      ],
      [
        "loose",
        " key=id",
        "backfill of loose: key= column id is not NOT NULL; the walk needs a unique NOT NULL key",
      ],
      ["loose", " key=n", "key= column n is not NOT NULL and unique (no valid unique index on it alone)"],
      ["loose", " key=nope", "key= names column nope, which the table does not have"],
      ["missing", "", "backfill of missing: the table does not exist"],
    ]) {
      const refused = migrationDir({
        "001_x.sql": `SELECT 1;\n-- safemigrate:backfill table=${table} set="n = 1"${key}`,
      });
      const result = await cli(["up", refused, "--history-schema", "h_refused"], db.url);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`001_x.sql:2: backfill of ${table}: `);
      expect(result.stderr).toContain(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    // A malformed directive stops up before anything runs, as lint and plan.
    const malformed = migrationDir({
      "001_x.sql": 'SELECT 1;\n-- safemigrate:backfill table=nokey set="n = 1" batch=none',
    });
    const usage = await cli(["up", malformed, "--history-schema", "h_malformed"], db.url);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(
      /001_x\.sql:2:49: backfill: batch= expects a number of rows >= 1, got 'none'\n$/,
    );
    const moving = migrationDir({
      "001_x.sql":
        '-- safemigrate:backfill table=\'app."My Orders"\' set="\\"Order Id\\" = \'x\' || n" key="\\"Order Id\\""',
    });
    const refused = await cli(["up", moving, "--history-schema", "h_moving"], db.url);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "001_x.sql:1: backfill of app.My Orders: set= changes the key it walks (Order Id); name another key=",
    );
  });

  it("walks a partitioned table through its parent, estimating the rows from its partitions", async () => {
    await db.sql.unsafe(`CREATE TABLE parts (id int PRIMARY KEY, n int, m int) PARTITION BY RANGE (id);
      CREATE TABLE parts_1 PARTITION OF parts FOR VALUES FROM (1) TO (50);
      CREATE TABLE parts_2 PARTITION OF parts FOR VALUES FROM (50) TO (100);
      INSERT INTO parts SELECT g, g FROM generate_series(1, 99) g; ANALYZE parts`);
    const dir = migrationDir({ "001_fill.sql": '-- safemigrate:backfill table=parts set="m = n" batch=40' });
    const run = await cli(["up", dir, "--log-format", "json", "--history-schema", "h_parts"], db.url);
    expect(run.code).toBe(0);
    expect(run.events.find((e) => e.event === "backfill-start")).toMatchObject({ key: "id", rowsTotal: 99 });
    expect(run.events.filter((e) => e.event === "backfill-progress").map((e) => e.lastKey)).toEqual([
      "40",
      "80",
      "99",
    ]);
    const [left] = await db.sql`SELECT count(*)::int AS n FROM parts WHERE m IS NULL`;
    expect(left?.n).toBe(0);
  });

  it("runs a backfill of the contract section with contract", async () => {
    await db.sql.unsafe(countedTable("later", 30));
    const dir = migrationDir({
      "001_later.sql": `-- safemigrate:expand\nALTER TABLE later ADD COLUMN x int;\n-- safemigrate:contract\n-- safemigrate:backfill table=later ${FILL} batch=7`,
    });
    const history = ["--history-schema", "h_contract"];
    expect((await cli(["up", dir, ...history], db.url)).code).toBe(0);
    const [before] = await db.sql`SELECT count(*)::int AS n FROM later WHERE total_cents IS NOT NULL`;
    expect(before?.n).toBe(0);
    const status = await cli(["status", dir, ...history], db.url);
    expect(status.stdout).toContain("expanded");
    const contract = await cli(["contract", dir, "--log-format", "json", ...history], db.url);
    expect(contract.code).toBe(0);
    expect(contract.events.filter((e) => e.event === "backfill-progress")).toHaveLength(5);
    const [after] = await db.sql`SELECT count(*) FILTER (WHERE updates = 1)::int AS n FROM later`;
    expect(after?.n).toBe(30);
  });

  it("runs a backfill of a rollback section with rollback", async () => {
    await db.sql.unsafe(countedTable("undone", 12));
    const dir = migrationDir({
      "001_undone.sql": `ALTER TABLE undone ADD COLUMN cents bigint;
-- safemigrate:backfill table=undone set="cents = (total * 100)::bigint" batch=5
-- safemigrate:rollback
-- safemigrate:backfill table=undone set="total_cents = cents" batch=5
ALTER TABLE undone DROP COLUMN cents;`,
    });
    const history = ["--history-schema", "h_undone"];
    expect((await cli(["up", dir, ...history], db.url)).code).toBe(0);
    const rollback = await cli(["rollback", dir, "--log-format", "json", ...history], db.url);
    expect(rollback.code).toBe(0);
    expect(rollback.events.filter((e) => e.event === "backfill-progress").map((e) => e.phase)).toEqual([
      "rollback",
      "rollback",
      "rollback",
    ]);
    const [rows] = await db.sql`
      SELECT count(*) FILTER (WHERE total_cents = (total * 100)::bigint AND updates = 2)::int AS n FROM undone`;
    expect(rows?.n).toBe(12);
    const [column] =
      await db.sql`SELECT 1 FROM pg_attribute WHERE attrelid = 'undone'::regclass AND attname = 'cents'`;
    expect(column).toBeUndefined();
  });

  it("SIGINT between batches exits 130 holding nothing, and the next run resumes after the last batch", async () => {
    const launcher = await buildCli();
    await db.sql.unsafe(countedTable("paused", 3000));
    const file = (pause: string) => ({
      "001_paused.sql": `SELECT 1;\n-- safemigrate:backfill table=paused ${FILL} batch=1000 pause=${pause}\nSELECT 2;`,
    });
    const dir = migrationDir(file("10min"));
    const history = ["--history-schema", "h_paused"];
    const child = spawnCli(launcher, ["up", dir, "--log-format", "json", ...history], db.url);
    await waitFor(
      async () => parseEvents(child.output()).some((e) => e.event === "backfill-progress"),
      30_000,
      "the first batch",
    );
    // Waiting between batches, the runner holds no lock on the table and no transaction open, and the rows
    // of the batch it committed can be locked by anyone.
    const [runner] = await db.sql`
      SELECT a.pid, a.state FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database()`;
    expect(runner?.state).toBe("idle");
    const held =
      await db.sql`SELECT mode FROM pg_locks WHERE pid = ${runner?.pid} AND relation = 'paused'::regclass`;
    expect(held).toEqual([]);
    const locked = await db.sql.begin(async (tx) => {
      await tx`SET LOCAL lock_timeout = '100ms'`;
      return tx`SELECT id FROM paused WHERE id <= 1000 FOR UPDATE NOWAIT`;
    });
    expect(locked).toHaveLength(1000);

    child.process.kill("SIGINT");
    const exit = await child.exited;
    expect(exit.code).toBe(130);
    expect(parseEvents(child.output()).slice(-2)).toEqual([
      expect.objectContaining({ event: "interrupted", signal: "SIGINT" }),
      expect.objectContaining({ event: "run-done", status: "interrupted", exitCode: 130 }),
    ]);
    const [record] = await db.sql.unsafe(
      "SELECT backfill, completed_at FROM h_paused.steps WHERE version = '001' AND step = 1",
    );
    expect(record).toEqual({
      backfill: { key: "id", last: "1000", rows: 1000, updated: 1000, batches: 1 },
      completed_at: null,
    });

    // The pause may change between runs (the batches are the same UPDATE); the walk goes on from key 1000.
    writeFiles(dir, file("0"));
    const rerun = await cli(["up", dir, "--log-format", "json", ...history], db.url);
    expect(rerun.code).toBe(0);
    expect(rerun.events.find((e) => e.event === "step-skip")).toMatchObject({ step: 1 });
    expect(rerun.events.find((e) => e.event === "backfill-start")).toMatchObject({ resumedAfter: "1000" });
    expect(rerun.events.filter((e) => e.event === "backfill-progress").map((e) => e.rowsDone)).toEqual([
      2000, 3000,
    ]);
    const [rows] =
      await db.sql`SELECT count(*) FILTER (WHERE updates = 1)::int AS once, count(*)::int AS total FROM paused`;
    expect(rows).toEqual({ once: 3000, total: 3000 });
  });

  it("adds its column to a history created before backfills existed", async () => {
    await db.sql.unsafe(`CREATE SCHEMA h_old;
      CREATE TABLE h_old.migrations (version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
        file text, expand_started_at timestamptz, expand_completed_at timestamptz,
        contract_started_at timestamptz, contract_completed_at timestamptz, expand_duration_ms bigint,
        contract_duration_ms bigint, applied_by text, baseline boolean NOT NULL DEFAULT false);
      CREATE TABLE h_old.steps (version text NOT NULL, phase text NOT NULL, step integer NOT NULL,
        statement_hash text NOT NULL, started_at timestamptz, completed_at timestamptz, duration_ms bigint,
        retries integer NOT NULL DEFAULT 0, PRIMARY KEY (version, phase, step));
      INSERT INTO h_old.steps (version, phase, step, statement_hash, completed_at) VALUES ('000', 'expand', 0, 'x', now());`);
    await db.sql.unsafe(countedTable("old_history", 5));
    await db.sql.unsafe(countedTable("empty", 0));
    const dir = migrationDir({
      "001_fill.sql": `-- safemigrate:backfill table=old_history ${FILL}`,
      "002_empty.sql": `-- safemigrate:backfill table=empty ${FILL}`,
    });
    const run = await cli(["up", dir, "--log-format", "json", "--history-schema", "h_old"], db.url);
    expect(run.code).toBe(0);
    const rows = await db.sql.unsafe(
      "SELECT version, backfill, completed_at IS NOT NULL AS done FROM h_old.steps ORDER BY version",
    );
    expect(rows).toEqual([
      { version: "000", backfill: null, done: true },
      { version: "001", backfill: { key: "id", last: "5", rows: 5, updated: 5, batches: 1 }, done: true },
      // An empty table: the walk ends at once, no batch.
      { version: "002", backfill: null, done: true },
    ]);
    expect(run.events.filter((e) => e.event === "backfill-start").map((e) => e.rowsTotal)).toEqual([5, 0]);
  });

  it("retries a batch that waits longer than lock_timeout for a row the application holds", async () => {
    const launcher = await buildCli();
    await db.sql.unsafe(countedTable("busy", 2000));
    const holder = await db.sql.reserve();
    await holder`BEGIN`;
    await holder`SELECT 1 FROM busy WHERE id = 1500 FOR UPDATE`;
    const dir = migrationDir({ "001_busy.sql": `-- safemigrate:backfill table=busy ${FILL} batch=1000` });
    const args = ["--lock-timeout", "100ms", "--retry-base-delay", "20ms", "--history-schema", "h_busy"];
    const child = spawnCli(launcher, ["up", dir, "--log-format", "json", ...args], db.url);
    await waitFor(
      async () => parseEvents(child.output()).some((e) => e.event === "step-retry"),
      30_000,
      "a retry",
    );
    await holder`COMMIT`;
    holder.release();
    expect((await child.exited).code).toBe(0);
    const events = parseEvents(child.output());
    expect(events.find((e) => e.event === "step-retry")).toMatchObject({
      step: 1,
      kind: "backfill",
      code: "55P03",
    });
    expect(events.filter((e) => e.event === "backfill-progress").map((e) => e.rowsDone)).toEqual([
      1000, 2000,
    ]);
    // The batch that timed out rolled back: each row was updated once.
    const [rows] = await db.sql`SELECT count(*) FILTER (WHERE updates = 1)::int AS once FROM busy`;
    expect(rows?.once).toBe(2000);
  });

  it("refuses to resume a backfill whose directive changed", async () => {
    await db.sql.unsafe(countedTable("edited", 20));
    const dir = migrationDir({
      "001_edited.sql": `-- safemigrate:backfill table=edited ${FILL} batch=5`,
    });
    const history = ["--history-schema", "h_edited"];
    // An earlier run did two batches of the directive as it was, then stopped.
    expect((await cli(["up", dir, ...history], db.url)).code).toBe(0);
    await db.sql.unsafe(
      `UPDATE h_edited.steps SET completed_at = NULL, backfill = '{"key":"id","last":"10","rows":10,"updated":10,"batches":2}';
       UPDATE h_edited.migrations SET expand_completed_at = NULL, contract_completed_at = NULL`,
    );
    writeFiles(dir, {
      "001_edited.sql": `-- safemigrate:backfill table=edited set="total_cents = 0" batch=5`,
    });
    const result = await cli(["up", dir, ...history], db.url);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "backfill of edited: an earlier run did part of it with a different directive (the file was edited)",
    );
  });
});
