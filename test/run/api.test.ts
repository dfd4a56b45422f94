/** The runner as a library: events to a callback, failures as results, an AbortSignal to interrupt. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contract, type RunEvent, rollback, status, up } from "../../src/index.js";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { migrationDir, waitFor, writeFiles } from "./helpers.js";

describe.each(testMajors())("runner API on Postgres %s", (major) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(major);
  });
  afterAll(() => db?.drop());

  it("runs, reports events, and stops cleanly when aborted", async () => {
    const dir = migrationDir({ "001_t.sql": "CREATE TABLE api_t (id int);" });
    const events: RunEvent[] = [];
    const first = await up({ dir, databaseUrl: db.url, onEvent: (e) => events.push(e) });
    expect(first).toEqual({ exitCode: 0, applied: 1, failure: null });
    expect(events.map((e) => e.event)).toContain("step-done");

    writeFiles(dir, { "002_add.sql": "ALTER TABLE api_t ADD COLUMN c int;" });
    const holder = await db.sql.reserve();
    await holder`BEGIN`;
    await holder`SELECT * FROM api_t`;
    const controller = new AbortController();
    const abortedEvents: RunEvent[] = [];
    // blockerWait 0: into the lock queue at once (the wait outside it is tested in blockers.test.ts).
    const running = up({
      dir,
      databaseUrl: db.url,
      lockTimeout: 60_000,
      blockerWait: 0,
      signal: controller.signal,
      onEvent: (e) => abortedEvents.push(e),
    });
    await waitFor(async () => {
      const [row] =
        await db.sql`SELECT 1 FROM pg_stat_activity WHERE application_name = 'safemigrate' AND wait_event_type = 'Lock'`;
      return row !== undefined;
    });
    controller.abort();
    const aborted = await running;
    await holder`COMMIT`;
    holder.release();
    expect(aborted).toMatchObject({ exitCode: 130, failure: { event: "interrupted" } });
    expect(abortedEvents.slice(-2)).toMatchObject([
      { event: "interrupted", signal: "SIGINT" },
      { event: "run-done", status: "interrupted", exitCode: 130, applied: 0 },
    ]);
    const rows = await status({ dir, databaseUrl: db.url });
    expect(rows.map((r) => r.state)).toEqual(["complete", "pending"]);
    const failed = await up({ dir: `${dir}/nope`, databaseUrl: db.url }).catch((e: Error) => e.message);
    expect(failed).toContain("nope");
  });

  it("runs expand and contract phases, rolls back an expand, and reports status rows as status --format json does", async () => {
    // A history of its own: the first test's migrations share this database.
    const historySchema = "api_phases_history";
    const dir = migrationDir({
      "001_api_phases.sql": [
        "CREATE TABLE api_p (id int, legacy int);",
        "-- safemigrate:contract",
        "ALTER TABLE api_p DROP COLUMN legacy;",
      ].join("\n"),
    });
    const events: RunEvent[] = [];
    const expanded = await up({ dir, databaseUrl: db.url, historySchema, onEvent: (e) => events.push(e) });
    expect(expanded, JSON.stringify(events.at(-1))).toMatchObject({ exitCode: 0 });
    expect((await status({ dir, databaseUrl: db.url, historySchema }))[0]).toMatchObject({
      version: "001",
      state: "expanded",
    });
    expect(await contract({ dir, databaseUrl: db.url, historySchema })).toMatchObject({ exitCode: 0 });
    const [column] =
      await db.sql`SELECT 1 FROM information_schema.columns WHERE table_name = 'api_p' AND column_name = 'legacy'`;
    expect(column).toBeUndefined();
    expect((await status({ dir, databaseUrl: db.url, historySchema }))[0]).toMatchObject({
      state: "complete",
    });
    expect(events.map((e) => e.event)).toContain("step-done");

    writeFiles(dir, {
      "002_api_add.sql": "CREATE TABLE api_q (id int);\n-- safemigrate:rollback\nDROP TABLE api_q;\n",
    });
    await up({ dir, databaseUrl: db.url, historySchema });
    expect(await rollback({ dir, databaseUrl: db.url, historySchema })).toMatchObject({ exitCode: 0 });
    const [table] = await db.sql`SELECT to_regclass('api_q') AS t`;
    expect(table?.t).toBeNull();
  });
});
