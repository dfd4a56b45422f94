/**
 * History and phases: expand then contract, a contract that cannot run before its expand, status states and
 * `--check`, an edited applied migration, a failing statement, baseline, the lint gate, a bad URL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { cli, migrationDir, writeFiles } from "./helpers.js";

describe.each(testMajors())("history on Postgres %s", (major) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(major);
  });
  afterAll(() => db?.drop());

  const status = async (dir: string, schema: string) => {
    const result = await cli(["status", dir, "--format", "json", "--history-schema", schema], db.url);
    return {
      code: result.code,
      rows: JSON.parse(result.stdout).migrations as Array<Record<string, unknown>>,
    };
  };

  it("runs expand, then contract, and reports each state", async () => {
    const schema = "h_phases";
    const dir = migrationDir({
      "001_users.sql": "CREATE TABLE users (id bigint PRIMARY KEY, status text);",
      "002_rename.sql": `-- safemigrate:expand
ALTER TABLE users ADD COLUMN state text;
-- safemigrate:contract
ALTER TABLE users DROP COLUMN status;
`,
    });
    const args = (command: string) => [command, dir, "--history-schema", schema];
    expect((await status(dir, schema)).rows.map((r) => r.state)).toEqual(["pending", "pending"]);
    expect((await cli(["status", dir, "--check", "--history-schema", schema], db.url)).code).toBe(3);

    const refused = await cli(args("contract"), db.url);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("002_rename.sql: its contract phase cannot run before its expand phase");

    expect((await cli(args("up"), db.url)).code).toBe(0);
    const expanded = await status(dir, schema);
    expect(expanded.rows.map((r) => r.state)).toEqual(["complete", "expanded"]);
    expect(expanded.rows[1]?.appliedAt).toEqual(expect.any(String));
    expect((await cli(["status", dir, "--check", "--history-schema", schema], db.url)).code).toBe(0);
    const columns = async () =>
      (
        await db.sql`SELECT attname FROM pg_attribute WHERE attrelid = 'users'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`
      ).map((r) => r.attname);
    expect(await columns()).toEqual(["id", "status", "state"]);

    expect((await cli(args("contract"), db.url)).code).toBe(0);
    expect(await columns()).toEqual(["id", "state"]);
    expect((await status(dir, schema)).rows.map((r) => r.state)).toEqual(["complete", "complete"]);
    const again = await cli(args("up"), db.url);
    expect(again.stdout).toContain("nothing to do");

    // A recorded migration whose file is gone.
    writeFiles(dir, {});
    const { rmSync } = await import("node:fs");
    rmSync(`${dir}/002_rename.sql`);
    const missing = await status(dir, schema);
    expect(missing.rows.map((r) => r.state)).toEqual(["complete", "missing-file"]);
  });

  it("refuses to run when an applied migration was edited, naming the file", async () => {
    const schema = "h_drift";
    const dir = migrationDir({ "001_a.sql": "CREATE TABLE drift_a (id int);" });
    expect((await cli(["up", dir, "--history-schema", schema], db.url)).code).toBe(0);
    writeFiles(dir, {
      "001_a.sql": "CREATE TABLE drift_a (id int, extra int);",
      "002_b.sql": "CREATE TABLE drift_b (id int);",
    });
    const result = await cli(["up", dir, "--history-schema", schema], db.url);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("001_a.sql: changed since it was applied");
    const [b] = await db.sql`SELECT to_regclass('drift_b') AS b`;
    expect(b?.b).toBeNull();
    expect((await status(dir, schema)).rows.map((r) => r.state)).toEqual(["drifted", "pending"]);
  });

  it("a failing statement leaves no partial migration; the fixed file then runs", async () => {
    const schema = "h_fail";
    const dir = migrationDir({
      "001_t.sql": "CREATE TABLE fail_t (id int);\nINSERT INTO fail_t VALUES (1), (1);",
      "002_bad.sql":
        "ALTER TABLE fail_t ADD COLUMN note text;\n\nCREATE TABLE fail_u (id int);\nINSERT INTO fail_u VALUES (1);\nALTER TABLE fail_t ADD CONSTRAINT fail_t_id UNIQUE USING INDEX nope;\n",
    });
    const result = await cli(["up", dir, "--history-schema", schema], db.url);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/002_bad\.sql:5: .*nope/);
    expect(result.stderr).not.toMatch(/\bat .*\.(js|ts):\d+/); // no stack trace
    const [state] = await db.sql`SELECT to_regclass('fail_u') AS u,
      (SELECT count(*) FROM pg_attribute WHERE attrelid = 'fail_t'::regclass AND attname = 'note')::int AS note`;
    expect(state).toEqual({ u: null, note: 0 });
    // Nothing of it is applied (its one transaction rolled back): failed, not partial.
    expect((await status(dir, schema)).rows.map((r) => [r.state, r.partial])).toEqual([
      ["complete", false],
      ["failed", false],
    ]);
    // Postgres's detail and hint are printed: a duplicate key on a unique index build.
    writeFiles(dir, { "002_bad.sql": "CREATE UNIQUE INDEX fail_t_uniq ON fail_t (id);\n" });
    const duplicate = await cli(["up", dir, "--history-schema", schema], db.url);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/002_bad\.sql:1: could not create unique index "fail_t_uniq"/);
    expect(duplicate.stderr).toContain("detail: Key (id)=(1) is duplicated.");
    const [index] = await db.sql`SELECT to_regclass('fail_t_uniq') AS i`;
    expect(index?.i).toBeNull(); // the INVALID leftover of the concurrent build is dropped
    writeFiles(dir, { "002_bad.sql": "CREATE INDEX fail_t_id ON fail_t (id);\n" });
    expect((await cli(["up", dir, "--history-schema", schema], db.url)).code).toBe(0);
  });

  it("does not run a BEGIN ... ROLLBACK block, and a ROLLBACK never ends the runner's transaction", async () => {
    const schema = "h_rollback";
    const dir = migrationDir({
      "001_blocks.sql": `CREATE TABLE rb_a (id int);
BEGIN;
ALTER TABLE rb_a ADD COLUMN discarded text;
CREATE TABLE rb_b (id int);
ROLLBACK;
CREATE TABLE rb_c (id int);
`,
      // A ROLLBACK without BEGIN is an error finding: it runs only with --unsafe, and is then dropped.
      "002_lone.sql": "CREATE TABLE rb_d (id int);\nROLLBACK;\nCREATE TABLE rb_e (id int);\n",
    });
    const refused = await cli(["up", dir, "--history-schema", schema], db.url);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("ROLLBACK has no matching BEGIN");
    expect((await cli(["up", dir, "--history-schema", schema, "--unsafe"], db.url)).code).toBe(0);
    const [state] = await db.sql`SELECT to_regclass('rb_b') AS b, to_regclass('rb_c')::text AS c,
      to_regclass('rb_d')::text AS d, to_regclass('rb_e')::text AS e,
      (SELECT count(*) FROM pg_attribute WHERE attrelid = 'rb_a'::regclass AND attname = 'discarded')::int AS discarded`;
    expect(state).toEqual({ b: null, c: "rb_c", d: "rb_d", e: "rb_e", discarded: 0 });
    expect((await status(dir, schema)).rows.map((r) => [r.state, r.partial])).toEqual([
      ["complete", false],
      ["complete", false],
    ]);
  });

  it("runs a DO block that commits (a batched backfill) on its own, outside a transaction", async () => {
    const schema = "h_do_commit";
    const dir = migrationDir({
      "001_items.sql":
        "CREATE TABLE do_items (id int PRIMARY KEY, flag bool);\nINSERT INTO do_items SELECT g, NULL FROM generate_series(1, 50) g;",
      "002_backfill.sql": `DO $$
BEGIN
  FOR batch IN 0..4 LOOP
    UPDATE do_items SET flag = true WHERE id > batch * 10 AND id <= (batch + 1) * 10;
    COMMIT;
  END LOOP;
END
$$;
`,
    });
    const result = await cli(["up", dir, "--history-schema", schema], db.url);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const [state] = await db.sql`SELECT count(*) FILTER (WHERE flag)::int AS done FROM do_items`;
    expect(state?.done).toBe(50);
    expect((await status(dir, schema)).rows.map((r) => r.state)).toEqual(["complete", "complete"]);
  });

  it("a rewritten constraint that fails validation resumes at the validation once the data is fixed", async () => {
    const schema = "h_validate";
    const dir = migrationDir({
      "001_v.sql": "CREATE TABLE val_t (n int);\nINSERT INTO val_t VALUES (1), (-1);",
      "002_check.sql": "ALTER TABLE val_t ADD CONSTRAINT val_t_positive CHECK (n > 0);",
    });
    const failed = await cli(["up", dir, "--history-schema", schema, "--log-format", "json"], db.url);
    expect(failed.code).toBe(1);
    expect(failed.events.find((e) => e.event === "error")).toMatchObject({
      line: 1,
      code: "23514",
      sql: "ALTER TABLE val_t VALIDATE CONSTRAINT val_t_positive",
    });
    const [constraint] =
      await db.sql`SELECT convalidated FROM pg_constraint WHERE conname = 'val_t_positive'`;
    expect(constraint?.convalidated).toBe(false);

    // Editing the half-applied migration is refused, with the way out.
    writeFiles(dir, { "002_check.sql": "ALTER TABLE val_t ADD CONSTRAINT val_t_positive CHECK (n >= 0);" });
    const edited = await cli(["up", dir, "--history-schema", schema], db.url);
    expect(edited.code).toBe(1);
    expect(edited.stderr).toContain(
      "step 1 of its expand phase was completed by an earlier run with different SQL",
    );
    expect(edited.stderr).toContain(`DELETE FROM "${schema}".steps WHERE version = '002'`);

    writeFiles(dir, { "002_check.sql": "ALTER TABLE val_t ADD CONSTRAINT val_t_positive CHECK (n > 0);" });
    await db.sql`UPDATE val_t SET n = 1 WHERE n < 0`;
    const resumed = await cli(["up", dir, "--history-schema", schema, "--log-format", "json"], db.url);
    expect(resumed.code).toBe(0);
    expect(resumed.events.filter((e) => e.event === "step-skip").map((e) => e.step)).toEqual([1]);
    const [valid] = await db.sql`SELECT convalidated FROM pg_constraint WHERE conname = 'val_t_positive'`;
    expect(valid?.convalidated).toBe(true);
  });

  it("baseline records migrations as applied without running them", async () => {
    const schema = "h_baseline";
    const dir = migrationDir({
      "001_a.sql": "CREATE TABLE base_a (id int);",
      "002_b.sql": "CREATE TABLE base_b (id int);",
      "003_c.sql": "CREATE TABLE base_c (id int);",
    });
    const missing = await cli(["baseline", dir, "--to", "009", "--history-schema", schema], db.url);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--to 009: no migration with that version");
    const result = await cli(["baseline", dir, "--to", "002", "--history-schema", schema], db.url);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("recorded 2 migration(s) up to 002");
    expect((await status(dir, schema)).rows.map((r) => [r.state, r.baseline])).toEqual([
      ["complete", true],
      ["complete", true],
      ["pending", false],
    ]);
    expect((await cli(["up", dir, "--history-schema", schema], db.url)).code).toBe(0);
    const [tables] = await db.sql`SELECT to_regclass('base_a') AS a, to_regclass('base_c')::text AS c`;
    expect(tables).toEqual({ a: null, c: "base_c" });
  });

  it("the lint gate stops unsafe changes on tables with data, passes them on small ones or with --unsafe", async () => {
    const schema = "h_gate";
    const dir = migrationDir({
      "001_t.sql":
        "CREATE TABLE gate_big (id int); CREATE TABLE gate_small (id int);\nINSERT INTO gate_big SELECT generate_series(1, 5000);",
      "002_rewrite.sql":
        "ALTER TABLE gate_small ADD COLUMN u uuid DEFAULT gen_random_uuid();\nALTER TABLE gate_big ADD COLUMN u uuid DEFAULT gen_random_uuid();\n",
    });
    const blocked = await cli(["up", dir, "--history-schema", schema, "--to", "001"], db.url);
    expect(blocked.code).toBe(0);
    const stopped = await cli(["up", dir, "--history-schema", schema], db.url);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/002_rewrite\.sql:2:\d+ +error +add-column-rewrite/);
    expect(stopped.stderr).not.toMatch(/002_rewrite\.sql:1:/); // gate_small is below smallTableRows
    expect(stopped.stderr).toContain("nothing ran");
    expect((await status(dir, schema)).rows.map((r) => r.state)).toEqual(["complete", "pending"]);

    const unsafe = await cli(["up", dir, "--history-schema", schema, "--unsafe"], db.url);
    expect(unsafe.code).toBe(0);
    expect(unsafe.stderr).toContain("!!! --unsafe: running despite 1 error finding(s)");
  });

  it("a URL that cannot connect gives one line naming host, port and database, never the password", async () => {
    const dir = migrationDir({ "001_a.sql": "SELECT 1;" });
    const url = "postgres://someone:TopSecret123@127.0.0.1:1/appdb";
    for (const command of ["up", "status", "contract"]) {
      const result = await cli([command, dir, "--database-url", url], undefined);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        'safemigrate: cannot connect to 127.0.0.1:1, database "appdb": connection refused\n',
      );
      expect(result.stdout + result.stderr).not.toContain("TopSecret123");
    }
    const wrongPassword = new URL(db.url);
    wrongPassword.password = "TopSecret123";
    wrongPassword.username = "nobody_here";
    const auth = await cli(["status", dir, "--database-url", wrongPassword.toString()], undefined);
    expect(auth.code).toBe(2);
    expect(auth.stderr).toMatch(
      /^safemigrate: cannot connect to 127\.0\.0\.1:\d+, database "sm_test_\w+": .+\n$/,
    );
    expect(auth.stderr).not.toContain("TopSecret123");
  });
});
