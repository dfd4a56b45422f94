/** Several runners at once: one runs, the others wait for the advisory lock and find nothing left to do. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
