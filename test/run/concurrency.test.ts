/** Several runners at once: one runs, the others wait for the advisory lock and find nothing left to do. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advisoryKey } from "../../src/db/ident.js";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { cli, migrationDir } from "./helpers.js";

describe.each(testMajors())("concurrent runners on Postgres %s", (major) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(major);
  });
  afterAll(() => db?.drop());

  it("apply each migration exactly once", async () => {
    const dir = migrationDir({
      "001_log.sql": "CREATE TABLE log (n int NOT NULL);",
      "002_one.sql": "INSERT INTO log VALUES (2); SELECT pg_sleep(0.2);",
      "003_two.sql": "INSERT INTO log VALUES (3); CREATE INDEX log_n ON log (n);",
      "004_three.sql": "INSERT INTO log VALUES (4);",
    });
    const results = await Promise.all(
      [1, 2, 3, 4].map(() => cli(["up", dir, "--log-format", "json"], db.url)),
    );
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    const rows = await db.sql`SELECT n FROM log ORDER BY n`;
    expect(rows.map((r) => r.n)).toEqual([2, 3, 4]);
    const applied = results.map((r) => r.events.filter((e) => e.event === "migration-done").length);
    expect(applied.reduce((a, b) => a + b, 0)).toBe(4);
    const history =
      await db.sql`SELECT version FROM safemigrate.migrations WHERE expand_completed_at IS NOT NULL`;
    expect(history).toHaveLength(4);
  });
});

describe.each(testMajors())("the runner lock on Postgres %s", (major) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(major);
  });
  afterAll(() => db?.drop());

  it("gives up after --wait when another run keeps the lock", async () => {
    const holder = await db.sql.reserve();
    await holder`SELECT pg_advisory_lock(${advisoryKey("safemigrate")}::bigint)`;
    const [row] = await holder<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
    const dir = migrationDir({ "001_a.sql": "CREATE TABLE waited (id int);" });
    const started = performance.now();
    const result = await cli(["up", dir, "--wait", "700ms"], db.url);
    const elapsed = performance.now() - started;
    holder.release();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `waiting up to 700ms for another safemigrate run (pid ${row?.pid}) to finish`,
    );
    expect(result.stderr).toContain(
      'another safemigrate run holds the lock on history schema "safemigrate" (waited 700ms',
    );
    expect(elapsed).toBeGreaterThan(700);
    const [table] = await db.sql`SELECT to_regclass('waited') AS t`;
    expect(table?.t).toBeNull();
  });
});
