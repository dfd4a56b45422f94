/**
 * The runner as a real process: killed with SIGKILL during a concurrent index build, then run again, it
 * converges to exactly one valid index; SIGINT / SIGTERM during a lock wait exit 130 / 143 within 2 s with
 * the statement cancelled, the advisory lock released and nothing recorded as done.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { buildCli, cli, migrationDir, runnerSessions, spawnCli, waitFor, writeFiles } from "./helpers.js";

describe.each(testMajors())("the runner process on Postgres %s", (major) => {
  let db: TestDatabase;
  let launcher: string;
  beforeAll(async () => {
    [db, launcher] = await Promise.all([createTestDatabase(major), buildCli()]);
  });
  afterAll(() => db?.drop());

  it("SIGKILL during a concurrent index build, then a rerun, leaves exactly one valid index", async () => {
    const dir = migrationDir({
      "001_k.sql":
        "CREATE TABLE k (id int, a int);\nINSERT INTO k SELECT g, g % 7 FROM generate_series(1, 20000) g;",
    });
    expect((await cli(["up", dir], db.url)).code).toBe(0);
    writeFiles(dir, {
      "002_index.sql":
        "ALTER TABLE k ADD COLUMN b int;\nCREATE INDEX k_a_idx ON k (a);\nALTER TABLE k ADD COLUMN c int;",
    });

    // An open snapshot makes the concurrent build wait at its end, with the index still INVALID.
    const blocker = await db.sql.reserve();
    await blocker`BEGIN ISOLATION LEVEL REPEATABLE READ`;
    await blocker`SELECT count(*) FROM pg_class`;
    const child = spawnCli(launcher, ["up", dir, "--log-format", "json"], db.url);
    await waitFor(
      async () => {
        const [row] =
          await db.sql`SELECT phase FROM pg_stat_progress_create_index WHERE relid = 'k'::regclass`;
        return row !== undefined && String(row.phase).startsWith("waiting");
      },
      30_000,
      "the concurrent build to wait",
    );
    child.process.kill("SIGKILL");
    expect((await child.exited).signal).toBe("SIGKILL");
    // The server notices the dead client and aborts the build (client_connection_check_interval).
    await waitFor(async () => (await runnerSessions(db)).length === 0, 15_000, "the runner's session to end");
    const [leftover] =
      await db.sql`SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'k_a_idx'::regclass`;
    expect(leftover?.valid).toBe(false);
    await blocker`COMMIT`;
    blocker.release();

    const rerun = await cli(["up", dir, "--log-format", "json"], db.url);
    expect(rerun.code).toBe(0);
    // Step 1 committed before the kill and is not run again; step 2 starts over; step 3 runs.
    expect(rerun.events.find((e) => e.event === "step-skip")).toMatchObject({
      step: 1,
      reason: "done in an earlier run",
    });
    expect(rerun.events.find((e) => e.event === "step-cleanup")).toMatchObject({
      step: 2,
      dropped: ["k_a_idx"],
    });
    expect(rerun.events.filter((e) => e.event === "step-done").map((e) => e.step)).toEqual([2, 3]);
    const columns =
      await db.sql`SELECT attname FROM pg_attribute WHERE attrelid = 'k'::regclass AND attnum > 0 ORDER BY attnum`;
    expect(columns.map((c) => c.attname)).toEqual(["id", "a", "b", "c"]);
    const indexes = await db.sql`
      SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = 'k'::regclass`;
    expect(indexes).toEqual([{ name: "k_a_idx", valid: true }]);
    const [history] =
      await db.sql`SELECT expand_completed_at IS NOT NULL AS done FROM safemigrate.migrations WHERE version = '002'`;
    expect(history?.done).toBe(true);
  });

  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    it(`${signal} during a lock wait exits ${code} within 2 s with the lock released`, async () => {
      const table = `s_${signal.toLowerCase()}`;
      const dir = migrationDir({ "001_t.sql": `CREATE TABLE ${table} (id int);` });
      const history = ["--history-schema", `h_${table}`];
      expect((await cli(["up", dir, ...history], db.url)).code).toBe(0);
      writeFiles(dir, { "002_add.sql": `ALTER TABLE ${table} ADD COLUMN z int;` });
      const blocker = await db.sql.reserve();
      await blocker`BEGIN`;
      await blocker.unsafe(`SELECT * FROM ${table}`);
      const child = spawnCli(
        launcher,
        ["up", dir, "--lock-timeout", "1min", "--blocker-wait", "0", ...history],
        db.url,
      );
      await waitFor(
        async () => (await runnerSessions(db)).some((s) => s.wait === "Lock"),
        30_000,
        "the lock wait",
      );
      const sent = performance.now();
      child.process.kill(signal);
      const exit = await child.exited;
      const seconds = (exit.at - sent) / 1000;
      expect(exit.code).toBe(code);
      expect(seconds).toBeLessThan(2);
      expect(child.output()).toContain(`interrupted by ${signal}`);
      expect(child.output()).not.toMatch(/\n\s+at /); // no stack trace
      await waitFor(
        async () => (await runnerSessions(db)).length === 0,
        5_000,
        "the runner's session to end",
      );
      const advisory = await db.sql`SELECT 1 FROM pg_locks WHERE locktype = 'advisory'`;
      expect(advisory).toHaveLength(0);
      await blocker`COMMIT`;
      blocker.release();
      const [column] =
        await db.sql`SELECT 1 FROM pg_attribute WHERE attrelid = ${table}::regclass AND attname = 'z'`;
      expect(column).toBeUndefined();
      const [record] = await db.sql.unsafe(
        `SELECT expand_completed_at FROM h_${table}.migrations WHERE version = '002'`,
      );
      expect(record?.expand_completed_at ?? null).toBeNull();
      console.log(`[signal] PG${major}: ${signal} -> exit ${exit.code} after ${seconds.toFixed(2)}s`);
      // The next run finishes the job.
      expect((await cli(["up", dir, ...history], db.url)).code).toBe(0);
    });
  }
});
