/**
 * Faults of the server side and of concurrency: the runner's own connection terminated by the server
 * (pg_terminate_backend) in the middle of a step and during a concurrent index build, then a rerun; five
 * runners started at once on the same pending migrations.
 */
import { afterAll, describe, expect, it } from "vitest";
import { cli, runnerSessions, waitFor } from "../run/helpers.js";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { endState, leftovers, MULTI_STEPS, multiStepDir, runnerBlockedBy, runnerGone } from "./support.js";

describe.each(testMajors())("faults on Postgres %s", (major) => {
  const dir = multiStepDir();
  const databases: TestDatabase[] = [];
  const fresh = async () => {
    const db = await createTestDatabase(major);
    databases.push(db);
    expect((await cli(["up", dir, "--to", "001"], db.url)).code).toBe(0);
    return db;
  };
  afterAll(() => Promise.all(databases.map((d) => d.drop())));

  /** Terminates the runner's session once `ready` holds; returns how the run ended. */
  const terminateWhen = async (db: TestDatabase, ready: () => Promise<boolean>) => {
    const run = cli(["up", dir, "--log-format", "json"], db.url);
    await waitFor(ready, 30_000, "the runner to be mid-step");
    // The runner's own session is the one waiting on a lock; a watcher may be busy polling at that moment.
    const [session] = await runnerSessions(db).then((s) => s.filter((r) => r.wait === "Lock"));
    expect(session).toBeDefined();
    await db.sql`SELECT pg_terminate_backend(${session?.pid ?? 0})`;
    return run;
  };

  const rerunConverges = async (db: TestDatabase) => {
    const rerun = await cli(["up", dir, "--log-format", "json"], db.url);
    expect(rerun.code).toBe(0);
    const reference = await createTestDatabase(major);
    databases.push(reference);
    expect((await cli(["up", dir], reference.url)).code).toBe(0);
    expect(await endState(db)).toEqual(await endState(reference));
    expect(await leftovers(db)).toEqual({ sessions: 0, advisory: 0, invalid: [] });
    return rerun;
  };

  it("the runner's connection terminated mid-step: a clear error, exit 1, and a rerun converges", async () => {
    const db = await fresh();
    // Step 2's work is done and waits to record itself: a row of it is held by an open transaction.
    const blocker = await db.sql.reserve();
    // Asked before the transaction: a query inside it could leave a snapshot that a concurrent build waits for.
    const [holder] = await blocker<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
    await blocker`BEGIN`;
    await blocker`INSERT INTO safemigrate.steps (version, phase, step, statement_hash) VALUES ('002', 'expand', 1, 'held')`;
    const result = await terminateWhen(db, () => runnerBlockedBy(db, Number(holder?.pid), "step 2's record"));
    await blocker`ROLLBACK`;
    blocker.release();
    expect(result.code).toBe(1);
    const error = result.events.find((e) => e.event === "error");
    expect(error).toMatchObject({ file: expect.stringContaining("002_multi.sql"), line: 1 });
    // The server's own word (57P01) when it arrives first, else the closed connection, said plainly.
    expect(String(error?.message)).toMatch(
      /terminating connection due to administrator command|the connection to the server closed during the step/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    await runnerGone(db);
    const rerun = await rerunConverges(db);
    expect(rerun.events.filter((e) => e.event === "step-skip").map((e) => e.step)).toEqual([1]);
  });

  it("the runner's connection terminated during a concurrent index build: exit 1, the rerun cleans up", async () => {
    const db = await fresh();
    const snapshot = await db.sql.reserve();
    await snapshot`BEGIN ISOLATION LEVEL REPEATABLE READ`;
    await snapshot`SELECT count(*) FROM pg_class`;
    const result = await terminateWhen(db, async () => {
      const [row] =
        await db.sql`SELECT phase FROM pg_stat_progress_create_index WHERE datname = current_database()`;
      return row !== undefined && String(row.phase).startsWith("waiting");
    });
    await snapshot`COMMIT`;
    snapshot.release();
    expect(result.code).toBe(1);
    expect(result.events.find((e) => e.event === "error")).toMatchObject({ line: 2 });
    await runnerGone(db);
    const rerun = await rerunConverges(db);
    expect(rerun.events.find((e) => e.event === "step-cleanup")).toMatchObject({
      step: 3,
      dropped: ["orders_account_idx"],
    });
  });

  it("five runners started at once: each migration applied once, all exit 0", async () => {
    const db = await createTestDatabase(major);
    databases.push(db);
    const runs = await Promise.all(
      [1, 2, 3, 4, 5].map(() => cli(["up", dir, "--log-format", "json"], db.url)),
    );
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0, 0]);
    const done = runs.flatMap((r) => r.events.filter((e) => e.event === "step-done"));
    expect(done).toHaveLength(1 + MULTI_STEPS);
    expect(runs.flatMap((r) => r.events.filter((e) => e.event === "migration-done"))).toHaveLength(2);
    const state = await endState(db);
    expect(state.steps.map((s) => [s.version, s.step, s.done])).toEqual([
      ["001", 0, true],
      ...Array.from({ length: MULTI_STEPS }, (_, i) => ["002", i, true]),
    ]);
    expect(state.migrations.every((m) => m.complete && m.not_failed)).toBe(true);
    const [rows] = await db.sql`SELECT count(*)::int AS n FROM orders`;
    expect(rows?.n).toBe(5000);
    expect(await leftovers(db)).toEqual({ sessions: 0, advisory: 0, invalid: [] });
  });
});
