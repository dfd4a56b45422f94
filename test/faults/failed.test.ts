/**
 * A migration that fails (a missing table, a bad cast): exit 1 naming file and line; `status` shows it as
 * `failed` with the error and when, `partial` only when some of its steps were done; the fixed file and a
 * rerun apply it, and the failure is cleared.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, migrationDir, writeFiles } from "../run/helpers.js";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";

describe.each(testMajors())("a failing migration on Postgres %s", (major) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(major);
  });
  afterAll(() => db?.drop());

  const status = async (dir: string) => {
    const result = await cli(["status", dir, "--format", "json"], db.url);
    return JSON.parse(result.stdout).migrations as Array<Record<string, unknown>>;
  };

  it("is reported as failed with its error, then applied once fixed", async () => {
    const dir = migrationDir({
      "001_t.sql":
        "CREATE TABLE f_t (id int PRIMARY KEY, code text);\nINSERT INTO f_t VALUES (1, '1'), (2, 'x');",
      "002_missing.sql": "ALTER TABLE f_t ADD COLUMN a int;\n\nALTER TABLE f_nope ADD COLUMN b int;\n",
    });
    const failed = await cli(["up", dir], db.url);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/002_missing\.sql:3: relation "f_nope" does not exist/);
    expect(failed.stderr).not.toMatch(/\n\s+at /);
    const [row] = await status(dir).then((rows) => rows.slice(1));
    expect(row).toMatchObject({ state: "failed", partial: false, appliedAt: null });
    expect(row?.error).toMatch(/002_missing\.sql:3: relation "f_nope" does not exist/);
    expect(Date.parse(String(row?.failedAt))).toBeGreaterThan(Date.now() - 600_000);
    const text = await cli(["status", dir], db.url);
    expect(text.stdout).toMatch(/002\s+missing\s+failed\s/);
    expect(text.stdout).not.toContain("partial");
    expect(text.stdout).toMatch(
      /^002 failed at \d{4}-.*: .*002_missing\.sql:3: relation "f_nope" does not exist$/m,
    );
    // Failed work is still work to do for a readiness gate.
    expect((await cli(["status", dir, "--check"], db.url)).code).toBe(3);

    writeFiles(dir, {
      "002_missing.sql": "ALTER TABLE f_t ADD COLUMN a int;\n\nALTER TABLE f_t ADD COLUMN b int;\n",
    });
    expect((await cli(["up", dir], db.url)).code).toBe(0);
    expect((await status(dir))[1]).toMatchObject({ state: "complete", error: null, failedAt: null });
  });

  it("a bad cast after a finished step is failed and partial; the rerun resumes after that step", async () => {
    const dir = migrationDir({
      "001_c.sql": "CREATE TABLE f_c (id int PRIMARY KEY, code text);\nINSERT INTO f_c VALUES (1, '1');",
      "002_cast.sql":
        "CREATE INDEX f_c_code ON f_c (code);\nINSERT INTO f_c VALUES (2, '2');\nSELECT 'abc'::int;\n",
    });
    const history = ["--history-schema", "h_cast"];
    expect((await cli(["up", dir, ...history, "--to", "001"], db.url)).code).toBe(0);
    const failed = await cli(["up", dir, ...history], db.url);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/002_cast\.sql:3: invalid input syntax for type integer: "abc"/);
    const rows = JSON.parse((await cli(["status", dir, "--format", "json", ...history], db.url)).stdout)
      .migrations as Array<Record<string, unknown>>;
    expect(rows[1]).toMatchObject({ state: "failed", partial: true });
    const [count] = await db.sql`SELECT count(*)::int AS n FROM f_c`;
    expect(count?.n).toBe(1); // the INSERT rolled back with the failed cast

    writeFiles(dir, {
      "002_cast.sql":
        "CREATE INDEX f_c_code ON f_c (code);\nINSERT INTO f_c VALUES (2, '2');\nSELECT '42'::int;\n",
    });
    const rerun = await cli(["up", dir, "--log-format", "json", ...history], db.url);
    expect(rerun.code).toBe(0);
    expect(rerun.events.filter((e) => e.event === "step-skip").map((e) => e.step)).toEqual([1]);
    const [after] = await db.sql`SELECT count(*)::int AS n FROM f_c`;
    expect(after?.n).toBe(2);
  });

  it("a history from before the failure columns reads as before and gets them on the next run", async () => {
    const dir = migrationDir({ "001_old.sql": "CREATE TABLE f_old (id int);" });
    const history = ["--history-schema", "h_old"];
    expect((await cli(["up", dir, ...history], db.url)).code).toBe(0);
    await db.sql`ALTER TABLE h_old.migrations DROP COLUMN failed_at, DROP COLUMN error`;
    writeFiles(dir, { "002_new.sql": "ALTER TABLE f_nowhere ADD COLUMN x int;" });
    const rows = JSON.parse((await cli(["status", dir, "--format", "json", ...history], db.url)).stdout)
      .migrations as Array<Record<string, unknown>>;
    expect(rows.map((r) => r.state)).toEqual(["complete", "pending"]);
    expect((await cli(["up", dir, ...history], db.url)).code).toBe(1);
    const after = JSON.parse((await cli(["status", dir, "--format", "json", ...history], db.url)).stdout)
      .migrations as Array<Record<string, unknown>>;
    expect(after.map((r) => r.state)).toEqual(["complete", "failed"]);
  });
});
