/**
 * Waiting out blockers outside the lock queue (src/run/blockers.ts): a long transaction holding a lock that
 * conflicts with a step's makes `up` wait before it asks for the lock, naming the session; a session whose
 * locks do not conflict does not; once `blockerWait` is used up, or with `blockerWait` 0, the step is
 * attempted under lock_timeout with retries as without the wait.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BLOCKER_AGE_MS } from "../../src/run/blockers.js";
import { type RunEvent, up } from "../../src/run/index.js";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { cli, migrationDir, waitFor, writeFiles } from "./helpers.js";

describe.each(testMajors())("waiting for blockers on Postgres %s", (major) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(major);
  });
  afterAll(() => db?.drop());

  /** A session idle in a transaction that holds `lock` (SQL), open for longer than the blocker threshold. */
  async function longTransaction(lock: string) {
    const conn = await db.sql.reserve();
    const [row] = await conn<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
    const pid = Number(row?.pid);
    await conn`BEGIN`;
    await conn.unsafe(lock);
    await waitFor(async () => {
      const [age] = await db.sql<{ ms: number }[]>`
        SELECT extract(epoch FROM clock_timestamp() - xact_start) * 1000 AS ms
        FROM pg_stat_activity WHERE pid = ${pid}`;
      return Number(age?.ms) > BLOCKER_AGE_MS;
    });
    return {
      pid,
      async end() {
        await conn`ROLLBACK`;
        conn.release();
      },
    };
  }

  async function setup(table: string, pending: string): Promise<string> {
    const dir = migrationDir({ "001_t.sql": `CREATE TABLE ${table} (id int);` });
    expect((await up({ dir, databaseUrl: db.url, historySchema: `h_${table}` })).exitCode).toBe(0);
    writeFiles(dir, { "002_change.sql": pending });
    return dir;
  }

  it("waits outside the lock queue while a long transaction holds a conflicting lock, then runs", async () => {
    const dir = await setup("bw_a", "ALTER TABLE bw_a ADD COLUMN c int;");
    const holder = await longTransaction("SELECT * FROM bw_a");
    const events: RunEvent[] = [];
    let queued: Promise<unknown[]> | null = null;
    const result = await up({
      dir,
      databaseUrl: db.url,
      historySchema: "h_bw_a",
      onEvent: (event) => {
        events.push(event);
        if (event.event !== "step-wait" || queued) return;
        // While it waits, the runner asks for no lock on the table: nothing queues behind it.
        queued = db.sql`
          SELECT l.pid FROM pg_locks l WHERE NOT l.granted AND l.relation = 'bw_a'::regclass`.then(
          async (rows) => {
            await holder.end();
            return [...rows];
          },
        );
      },
    });
    expect(await queued).toEqual([]);
    expect(result.exitCode).toBe(0);
    const wait = events.find((e) => e.event === "step-wait");
    expect(wait).toMatchObject({
      version: "002",
      blockers: [
        {
          pid: holder.pid,
          state: "idle in transaction",
          ageMs: expect.any(Number),
          query: "SELECT * FROM bw_a",
          relation: "bw_a",
          mode: "AccessShareLock",
        },
      ],
    });
    expect(events.find((e) => e.event === "step-wait-done")).toMatchObject({ exhausted: false });
    expect(events.filter((e) => e.event === "step-retry")).toEqual([]);
    const [column] =
      await db.sql`SELECT 1 FROM pg_attribute WHERE attrelid = 'bw_a'::regclass AND attname = 'c'`;
    expect(column).toBeDefined();
  });

  it("does not wait for sessions whose locks do not conflict with the step's", async () => {
    const dir = await setup(
      "bw_b",
      "-- safemigrate:no-rewrite\n-- safemigrate:ignore create-index-non-concurrent -- tested on purpose\nCREATE INDEX bw_b_id ON bw_b (id);",
    );
    await db.sql`CREATE TABLE bw_other (id int)`;
    // SHARE (the index build) does not conflict with ACCESS SHARE; a lock on another table never does.
    const reader = await longTransaction("SELECT * FROM bw_b");
    const other = await longTransaction("LOCK TABLE bw_other IN ACCESS EXCLUSIVE MODE");
    const events: RunEvent[] = [];
    const result = await up({
      dir,
      databaseUrl: db.url,
      historySchema: "h_bw_b",
      onEvent: (e) => events.push(e),
    });
    await reader.end();
    await other.end();
    expect(result.exitCode).toBe(0);
    const start = events.find((e) => e.event === "step-start" && e.version === "002");
    expect(start).toMatchObject({ locks: [{ relation: "bw_b", mode: "ShareLock" }], blocks: "writes" });
    expect(events.filter((e) => e.event.startsWith("step-wait") || e.event === "step-retry")).toEqual([]);
  });

  it("attempts under lock_timeout as before once the total wait is used up, naming the blocker", async () => {
    const dir = await setup("bw_c", "ALTER TABLE bw_c ADD COLUMN c int;");
    const holder = await longTransaction("SELECT * FROM bw_c");
    const run = await cli(
      [
        "up",
        dir,
        "--history-schema",
        "h_bw_c",
        "--blocker-wait",
        "300ms",
        "--lock-timeout",
        "100ms",
        "--max-retries",
        "1",
        "--retry-base-delay",
        "10ms",
      ],
      db.url,
    );
    await holder.end();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `⏸ 1/1 waiting (up to 300ms, outside the lock queue) for pid ${holder.pid} (idle in transaction, `,
    );
    expect(run.stdout).toContain("): SELECT * FROM bw_c");
    expect(run.stdout).toMatch(/blockers still there after \d+ms; trying under lock_timeout/);
    expect(run.stdout).toContain("lock timeout (55P03); retry 1");
    expect(run.stderr).toContain("002_change.sql:1");
  });

  it("goes straight to the lock queue with blockerWait 0", async () => {
    const dir = await setup("bw_d", "ALTER TABLE bw_d ADD COLUMN c int;");
    const holder = await longTransaction("SELECT * FROM bw_d");
    const events: RunEvent[] = [];
    const result = await up({
      dir,
      databaseUrl: db.url,
      historySchema: "h_bw_d",
      blockerWait: 0,
      lockTimeout: 100,
      maxRetries: 1,
      retryBaseDelay: 10,
      onEvent: (e) => events.push(e),
    });
    await holder.end();
    expect(result).toMatchObject({ exitCode: 1, failure: { event: "error", code: "55P03" } });
    expect(events.filter((e) => e.event.startsWith("step-wait"))).toEqual([]);
    const retry = events.find((e) => e.event === "step-retry");
    expect(retry).toMatchObject({ code: "55P03" });
  });
});
