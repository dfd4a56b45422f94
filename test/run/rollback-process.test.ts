/**
 * A rollback killed with SIGKILL between its steps: the step that committed stays done, `status` shows the
 * rollback unfinished, `up` refuses to run on top of it, and `rollback` run again finishes it from the step
 * that did not.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { buildCli, cli, migrationDir, runnerSessions, spawnCli, waitFor, writeFiles } from "./helpers.js";

describe.each(testMajors())("a rollback killed on Postgres %s", (major) => {
  let db: TestDatabase;
  let launcher: string;
  beforeAll(async () => {
    [db, launcher] = await Promise.all([createTestDatabase(major), buildCli()]);
  });
  afterAll(() => db?.drop());

  it("resumes after SIGKILL at the step that did not finish", async () => {
    const dir = migrationDir({
      "001_k.sql": "CREATE TABLE k (id int, a int);\nCREATE TABLE m (id int);",
    });
    expect((await cli(["up", dir], db.url)).code).toBe(0);
    writeFiles(dir, {
      "002_km.sql": [
        "CREATE INDEX CONCURRENTLY k_a_idx ON k (a);",
        "ALTER TABLE m ADD COLUMN b int;",
        "-- safemigrate:rollback",
        "DROP INDEX k_a_idx;",
        "ALTER TABLE m DROP COLUMN b;",
        "",
      ].join("\n"),
    });
    expect((await cli(["up", dir], db.url)).code).toBe(0);

    // A reader of m makes step 2 (DROP COLUMN) wait for its lock; step 1 (on k) has committed by then.
    const blocker = await db.sql.reserve();
    await blocker`BEGIN`;
    await blocker`SELECT * FROM m`;
    const child = spawnCli(
      launcher,
      ["rollback", dir, "--lock-timeout", "1min", "--log-format", "json"],
      db.url,
    );
    await waitFor(
      async () => (await runnerSessions(db)).some((s) => s.wait === "Lock"),
      30_000,
      "the lock wait",
    );
    child.process.kill("SIGKILL");
    expect((await child.exited).signal).toBe("SIGKILL");
    await waitFor(async () => (await runnerSessions(db)).length === 0, 15_000, "the runner's session to end");
    await blocker`COMMIT`;
    blocker.release();

    const [index] = await db.sql`SELECT to_regclass('k_a_idx') AS i`;
    expect(index?.i).toBeNull();
    const [column] =
      await db.sql`SELECT 1 AS found FROM pg_attribute WHERE attrelid = 'm'::regclass AND attname = 'b'`;
    expect(column?.found).toBe(1);
    const status = await cli(["status", dir, "--format", "json"], db.url);
    expect(JSON.parse(status.stdout).migrations[1]).toMatchObject({ version: "002", rollingBack: true });
    expect((await cli(["status", dir], db.url)).stdout).toMatch(/002\s+km\s+complete \(rolling back\)/);
    const up = await cli(["up", dir], db.url);
    expect(up.code).toBe(1);
    expect(up.stderr).toContain("its rollback was interrupted and is not finished; run safemigrate rollback");

    const rerun = await cli(["rollback", dir, "--log-format", "json"], db.url);
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
    expect(rerun.events.find((e) => e.event === "step-skip")).toMatchObject({
      step: 1,
      phase: "rollback",
      reason: "done in an earlier run",
    });
    expect(rerun.events.filter((e) => e.event === "step-done").map((e) => e.step)).toEqual([2]);
    const [gone] =
      await db.sql`SELECT 1 AS found FROM pg_attribute WHERE attrelid = 'm'::regclass AND attname = 'b' AND NOT attisdropped`;
    expect(gone).toBeUndefined();
    const after = JSON.parse((await cli(["status", dir, "--format", "json"], db.url)).stdout).migrations;
    expect(after[1]).toMatchObject({ version: "002", state: "pending", rollingBack: false, partial: false });
    // And up applies it again.
    expect((await cli(["up", dir], db.url)).code).toBe(0);
    const [again] = await db.sql`SELECT to_regclass('k_a_idx') IS NOT NULL AS i`;
    expect(again?.i).toBe(true);
  });
});
