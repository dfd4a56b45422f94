/**
 * A lock held by another session: `up` times out on its lock, rolls back and retries with backoff, naming
 * the blocking session; application queries keep running meanwhile (each waits at most about one
 * lock_timeout); once the lock is released, `up` finishes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { cli, migrationDir, waitFor, writeFiles } from "./helpers.js";

describe.each(testMajors())("lock retries on Postgres %s", (major) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(major);
  });
  afterAll(() => db?.drop());

  it("retries while another session holds a lock, without stalling application queries", async () => {
    const dir = migrationDir({ "001_t.sql": "CREATE TABLE t (id int);" });
    expect((await cli(["up", dir], db.url)).code).toBe(0);
    writeFiles(dir, { "002_add.sql": "ALTER TABLE t ADD COLUMN c int;" });

    const holder = await db.sql.reserve();
    const [row] = await holder<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
    const holderPid = row?.pid;
    await holder`BEGIN`;
    await holder`SELECT * FROM t`;

    const started = performance.now();
    const run = cli(
      [
        "up",
        dir,
        "--log-format",
        "json",
        "--lock-timeout",
        "200ms",
        "--retry-base-delay",
        "100ms",
        "--retry-max-delay",
        "300ms",
        // Straight into the lock queue, as without the wait for blockers (test/run/blockers.test.ts).
        "--blocker-wait",
        "0",
      ],
      db.url,
    );
    // Application traffic while the migration waits for its lock.
    const latencies: number[] = [];
    let i = 0;
    while (performance.now() - started < 2000) {
      const t0 = performance.now();
      await db.sql`INSERT INTO t (id) VALUES (${i++})`;
      await db.sql`SELECT count(*) FROM t`;
      latencies.push(performance.now() - t0);
    }
    await holder`COMMIT`;
    holder.release();
    const result = await run;
    const elapsed = performance.now() - started;

    expect(result.code).toBe(0);
    const retries = result.events.filter((e) => e.event === "step-retry");
    expect(retries.length).toBeGreaterThanOrEqual(2);
    expect(retries[0]).toMatchObject({ code: "55P03", version: "002" });
    const blockers = retries.flatMap((r) => r.blockers as Array<{ pid: number; query: string }>);
    expect(blockers.map((b) => b.pid)).toContain(holderPid);
    expect(blockers.find((b) => b.pid === holderPid)?.query).toContain("SELECT * FROM t");
    const done = result.events.find((e) => e.event === "step-done" && e.version === "002");
    expect(done?.retries).toBe(retries.length);
    const [column] =
      await db.sql`SELECT 1 FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'c'`;
    expect(column).toBeDefined();
    // Each application round trip waited at most about one lock_timeout behind the queued ALTER.
    expect(latencies.length).toBeGreaterThan(5);
    expect(Math.max(...latencies)).toBeLessThan(1000);
    console.log(
      `[retry] PG${major}: ${retries.length} retries, finished ${Math.round(elapsed - 2000)}ms after release; ` +
        `${latencies.length} app round trips, max ${Math.round(Math.max(...latencies))}ms`,
    );
  });
});

describe.each(testMajors())("concurrent build progress on Postgres %s", (major) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(major);
  });
  afterAll(() => db?.drop());

  it("reports the phase of a concurrent build while it waits for an older transaction", async () => {
    const dir = migrationDir({
      "001_p.sql": "CREATE TABLE p (id int);\nINSERT INTO p SELECT generate_series(1, 1000);",
    });
    expect((await cli(["up", dir], db.url)).code).toBe(0);
    writeFiles(dir, { "002_index.sql": "CREATE INDEX p_id ON p (id);" });
    const holder = await db.sql.reserve();
    await holder`BEGIN ISOLATION LEVEL REPEATABLE READ`;
    await holder`SELECT 1 FROM pg_class LIMIT 1`;
    const run = cli(["up", dir, "--log-format", "json"], db.url);
    await new Promise((r) => setTimeout(r, 2500));
    await holder`COMMIT`;
    holder.release();
    const result = await run;
    expect(result.code).toBe(0);
    const progress = result.events.filter((e) => e.event === "progress");
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress[0]).toMatchObject({
      kind: "create-index-concurrently",
      progress: { phase: expect.stringContaining("waiting") },
    });
    const [index] =
      await db.sql`SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'p_id'::regclass`;
    expect(index?.valid).toBe(true);
  });
});

describe.each(testMajors())("deadlocks on Postgres %s", (major) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(major);
  });
  afterAll(() => db?.drop());

  it("rolls back the step that lost a deadlock and retries it", async () => {
    const dir = migrationDir({
      "001_ab.sql":
        "CREATE TABLE da (id int PRIMARY KEY, v int);\nCREATE TABLE db (id int PRIMARY KEY, v int);\nINSERT INTO da VALUES (1, 0);\nINSERT INTO db VALUES (1, 0);",
    });
    expect((await cli(["up", dir], db.url)).code).toBe(0);
    writeFiles(dir, {
      "002_backfill.sql": "UPDATE da SET v = v + 1 WHERE id = 1;\nUPDATE db SET v = v + 1 WHERE id = 1;",
    });
    // Postgres checks for a deadlock once, deadlock_timeout after a wait starts, and the session that finds it
    // is the one aborted: the runner (2s) must find it before the application session (30s) does.
    await db.sql.unsafe(`ALTER DATABASE "${db.name}" SET deadlock_timeout = '2s'`);
    const app = await db.sql.reserve();
    await app`SET deadlock_timeout = '30s'`;
    await app`BEGIN`;
    await app`UPDATE db SET v = v + 10 WHERE id = 1`;
    const run = cli(["up", dir, "--log-format", "json", "--retry-base-delay", "50ms"], db.url);
    // Once the runner waits for the app's row in db, the app waits for the runner's row in da: a cycle.
    await waitFor(async () => {
      const [row] =
        await db.sql`SELECT 1 FROM pg_stat_activity WHERE application_name = 'safemigrate' AND wait_event_type = 'Lock'`;
      return row !== undefined;
    });
    await app`UPDATE da SET v = v + 10 WHERE id = 1`.catch(() => {});
    await app`COMMIT`.catch(() => {});
    app.release();
    const result = await run;
    expect(result.code).toBe(0);
    expect(result.events.find((e) => e.event === "step-retry")).toMatchObject({ code: "40P01" });
    const rows = await db.sql`SELECT (SELECT v FROM da) AS a, (SELECT v FROM db) AS b`;
    expect(rows[0]).toEqual({ a: 11, b: 11 });
  });
});
