/**
 * `up` and objects dropped and created again in one transaction: no contract finding blocks the run, and
 * a reader of the view never fails; dropped without being created again, the lint gate stops the run.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { cli, migrationDir } from "./helpers.js";

const BASE = [
  "CREATE TABLE rc_users (id bigint, active boolean);",
  "INSERT INTO rc_users SELECT g, g % 2 = 0 FROM generate_series(1, 100) AS g;",
  "CREATE VIEW rc_active AS SELECT id FROM rc_users WHERE active;",
  "CREATE FUNCTION rc_count(flag boolean) RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM rc_users WHERE active = flag';",
].join("\n");

describe.each(testMajors())("up on Postgres %s", (major) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(major);
  });
  afterAll(() => db?.drop());

  it("runs a view and a function dropped and created again in one transaction", async () => {
    const dir = migrationDir({
      "001_base.sql": BASE,
      "002_replace.sql": [
        "DROP VIEW rc_active;",
        "CREATE VIEW rc_active AS SELECT id, active FROM rc_users WHERE active;",
        "DROP FUNCTION rc_count(boolean);",
        "CREATE FUNCTION rc_count(flag bool) RETURNS bigint LANGUAGE sql AS 'SELECT count(*) + 0 FROM rc_users WHERE active = flag';",
      ].join("\n"),
    });
    const result = await cli(["up", dir, "--history-schema", "rc_ok"], db.url);
    expect(result.stderr).not.toMatch(/drop-table|drop-function/);
    expect(result.code).toBe(0);
    expect(await db.sql`SELECT count(*)::int AS n FROM rc_active WHERE active`).toEqual([{ n: 50 }]);
  });

  it("stops at the gate when the view is not created again, naming the rule", async () => {
    const dir = migrationDir({
      "001_base.sql": BASE.replaceAll("rc_", "rd_"),
      "002_drop.sql": "DROP VIEW rd_active;",
    });
    const result = await cli(["up", dir, "--history-schema", "rc_stop"], db.url);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/002_drop\.sql:1:1 +error +drop-table +dropping view rd_active/);
  });
});
