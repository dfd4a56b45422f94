/**
 * SIGKILL of `up` at every step boundary of a six-step migration (rewritten FK, concurrent index, NOT NULL
 * through a check) and in the middle of the concurrent index build. The boundary is made deterministic in
 * the history: an open transaction has already inserted the steps row of step k, so the runner, which
 * records step k in the same transaction as its work (or, for a concurrent build, before it), waits on that
 * row with steps 1..k-1 committed and step k not. It is killed there; the next `up` must skip exactly the
 * committed steps, run the rest, and end in the same schema and history as an uninterrupted run.
 * SIGINT during the concurrent build: exit 130, the build cancelled, no advisory lock and no session left.
 * (SIGINT and SIGTERM during a lock wait: test/run/process.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCli, cli, spawnCli, waitFor } from "../run/helpers.js";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { endState, leftovers, MULTI_STEPS, multiStepDir, runnerBlockedBy, runnerGone } from "./support.js";

describe.each(testMajors())("SIGKILL of up on Postgres %s", (major) => {
  let launcher: string;
  let dir: string;
  let reference: Awaited<ReturnType<typeof endState>>;
  const databases: TestDatabase[] = [];
  const fresh = async () => {
    const db = await createTestDatabase(major);
    databases.push(db);
    expect((await cli(["up", dir, "--to", "001"], db.url)).code).toBe(0);
    return db;
  };
  beforeAll(async () => {
    dir = multiStepDir();
    launcher = await buildCli();
    const db = await fresh();
    expect((await cli(["up", dir], db.url)).code).toBe(0);
    reference = await endState(db);
  });
  afterAll(() => Promise.all(databases.map((d) => d.drop())));

  it("the uninterrupted run is the reference: six steps, no helper constraint, a valid index", () => {
    expect(reference.steps.filter((s) => s.version === "002")).toHaveLength(MULTI_STEPS);
    expect(reference.constraints.map((c) => [c.name, c.valid])).toEqual([
      ["orders_account_fk", true],
      ["orders_pkey", true],
    ]);
    expect(reference.indexes.map((i) => [i.name, i.valid])).toEqual([
      ["orders_account_idx", true],
      ["orders_pkey", true],
    ]);
    expect(reference.notNull).toEqual(["id", "total"]);
  });

  // Concurrently: each case has its own database, and most of a case is waiting for the server to notice.
  for (let k = 0; k < MULTI_STEPS; k++) {
    const where = k === 0 ? "before step 1" : `after step ${k} of ${MULTI_STEPS}`;
    it.concurrent(`killed ${where}, converges on the next run`, async () => {
      const db = await fresh();
      const blocker = await db.sql.reserve();
      // Asked before the transaction: a query inside it could leave a snapshot that a concurrent build waits for.
      const [holder] = await blocker<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
      await blocker`BEGIN`;
      await blocker`INSERT INTO safemigrate.steps (version, phase, step, statement_hash) VALUES ('002', 'expand', ${k}, 'held')`;
      const child = spawnCli(launcher, ["up", dir, "--log-format", "json"], db.url);
      await runnerBlockedBy(db, Number(holder?.pid), `the runner to wait at step ${k + 1}`);
      child.process.kill("SIGKILL");
      expect((await child.exited).signal).toBe("SIGKILL");
      await runnerGone(db);
      await blocker`ROLLBACK`;
      blocker.release();
      const [done] = await db.sql`
        SELECT count(*)::int AS n FROM safemigrate.steps WHERE version = '002' AND completed_at IS NOT NULL`;
      expect(done?.n).toBe(k);

      const rerun = await cli(["up", dir, "--log-format", "json"], db.url);
      expect(rerun.code).toBe(0);
      const skipped = rerun.events.filter((e) => e.event === "step-skip").map((e) => e.step);
      const ran = rerun.events.filter((e) => e.event === "step-done").map((e) => e.step);
      expect(skipped).toEqual(Array.from({ length: k }, (_, i) => i + 1));
      expect(ran).toEqual(Array.from({ length: MULTI_STEPS - k }, (_, i) => k + i + 1));
      expect(await endState(db)).toEqual(reference);
      expect(await leftovers(db)).toEqual({ sessions: 0, advisory: 0, invalid: [] });
    });
  }

  /** `up` started while an open snapshot makes its concurrent build wait at its end (index still INVALID). */
  async function upWaitingInBuild(db: TestDatabase) {
    const blocker = await db.sql.reserve();
    await blocker`BEGIN ISOLATION LEVEL REPEATABLE READ`;
    await blocker`SELECT count(*) FROM pg_class`;
    const child = spawnCli(launcher, ["up", dir, "--log-format", "json"], db.url);
    await waitFor(
      async () => {
        const [row] =
          await db.sql`SELECT phase FROM pg_stat_progress_create_index WHERE datname = current_database()`;
        return row !== undefined && String(row.phase).startsWith("waiting");
      },
      30_000,
      "the concurrent build to wait",
    );
    return { blocker, child };
  }

  it.concurrent("killed in the middle of the concurrent index build, converges on the next run", async () => {
    const db = await fresh();
    const { blocker, child } = await upWaitingInBuild(db);
    child.process.kill("SIGKILL");
    await child.exited;
    await runnerGone(db);
    await blocker`COMMIT`;
    blocker.release();
    expect((await leftovers(db)).invalid).toEqual(["orders_account_idx"]);

    const rerun = await cli(["up", dir, "--log-format", "json"], db.url);
    expect(rerun.code).toBe(0);
    expect(rerun.events.find((e) => e.event === "step-cleanup")).toMatchObject({
      step: 3,
      dropped: ["orders_account_idx"],
    });
    expect(await endState(db)).toEqual(reference);
    expect(await leftovers(db)).toEqual({ sessions: 0, advisory: 0, invalid: [] });
  });

  it.concurrent("SIGINT during a concurrent index build exits 130 with no lock held and nothing left running", async () => {
    const db = await fresh();
    const { blocker, child } = await upWaitingInBuild(db);
    child.process.kill("SIGINT");
    const exit = await child.exited;
    expect(exit.code).toBe(130);
    expect(child.output()).toContain('"event":"interrupted","signal":"SIGINT"');
    expect(child.output()).not.toMatch(/\n\s+at /);
    // The build was cancelled, not left to finish: the runner's sessions are gone while the snapshot that
    // the build waits for is still open.
    await runnerGone(db);
    const left = await leftovers(db);
    expect({ sessions: left.sessions, advisory: left.advisory }).toEqual({ sessions: 0, advisory: 0 });
    await blocker`COMMIT`;
    blocker.release();
    expect((await cli(["up", dir], db.url)).code).toBe(0);
    expect(await endState(db)).toEqual(reference);
    expect(await leftovers(db)).toEqual({ sessions: 0, advisory: 0, invalid: [] });
  });
});
