/**
 * The runner never skips a migration in silence: files not read and an empty directory are reported by `up`
 * (text and JSON logs; `--strict` refuses them), and a pending goose Go migration stops `up` before it; `--to`,
 * `baseline` and `status` count it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { cli, migrationDir, writeFiles } from "./helpers.js";

const goose = (table: string) =>
  `-- +goose Up\nCREATE TABLE ${table} (id bigint);\n-- +goose Down\nDROP TABLE ${table};\n`;

describe.each(testMajors())("discovery in the runner on Postgres %s", (major) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(major);
  });
  afterAll(() => db?.drop());

  const tables = async (prefix: string) =>
    (
      await db.sql`SELECT relname FROM pg_class WHERE relname LIKE ${`${prefix}%`} AND relkind = 'r' ORDER BY 1`
    ).map((r) => r.relname);

  const status = async (dir: string, schema: string) => {
    const result = await cli(["status", dir, "--format", "json", "--history-schema", schema], db.url);
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout).migrations as Array<{ version: string; state: string; go: boolean }>;
  };

  it("up reports a file it does not read (text and json), and --strict refuses to run", async () => {
    const dir = migrationDir({
      "1_a.up.sql": "CREATE TABLE disc_a (id bigint);",
      "1_a.down.sql": "DROP TABLE disc_a;",
      "V2__b.sql": "CREATE TABLE disc_b (id bigint);",
    });
    const strict = await cli(["up", dir, "--strict", "--history-schema", "h_disc"], db.url);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(
      /V2__b\.sql: not read: the directory is golang-migrate layout, this file is named like flyway \(--strict\)\n$/,
    );
    expect(await tables("disc_")).toEqual([]);

    const text = await cli(["up", dir, "--history-schema", "h_disc"], db.url);
    expect(text.code).toBe(0);
    expect(text.stdout.split("\n")[0]).toMatch(
      /V2__b\.sql {2}warning {2}unread-file {2}not read: the directory is golang-migrate layout, this file is named like flyway$/,
    );
    expect(await tables("disc_")).toEqual(["disc_a"]);
    const json = await cli(["up", dir, "--log-format", "json", "--history-schema", "h_disc"], db.url);
    expect(json.events[0]).toMatchObject({ event: "notice", kind: "unread-file" });
    expect(String(json.events[0]?.file)).toMatch(/V2__b\.sql$/);
  });

  it("up warns about a directory without migrations, and --strict makes it an error", async () => {
    const dir = migrationDir({ "0001-a.sql": "SELECT 1;" });
    const empty = migrationDir({ "README.md": "nothing yet" });
    const up = await cli(["up", empty, "--history-schema", "h_disc_empty"], db.url);
    expect(up.code).toBe(0);
    expect(up.stdout).toContain(
      "warning  no-migrations  no migrations: the directory holds no migration files",
    );
    const strict = await cli(
      ["up", dir, "--layout", "goose", "--strict", "--history-schema", "h_disc_empty"],
      db.url,
    );
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain(
      "0001-a.sql: not read: the directory is goose layout, this file is named like plain (and 1 more) (--strict)",
    );
  });

  it("up and baseline refuse two migrations of one version; lint warns", async () => {
    const dir = migrationDir({
      "0001-a.sql": "CREATE TABLE dup_a (id bigint);",
      "0001_b.sql": "CREATE TABLE dup_b (id bigint);",
    });
    for (const args of [["up"], ["baseline", "--to", "0001"]]) {
      const result = await cli([...args, dir, "--history-schema", "h_dup"], db.url);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /0001_b\.sql: version 0001 is also that of .*0001-a\.sql: the history keeps one record per version, so only one of them could run\n$/,
      );
    }
    expect(await tables("dup_")).toEqual([]);
    const lint = await cli(["lint", dir]);
    expect(lint.code).toBe(0);
    expect(lint.stdout).toMatch(
      /0001_b\.sql {2}warning {2}duplicate-version {2}version 0001 is also that of /,
    );
  });

  it("up stops before a pending goose Go migration; --to, baseline and status count it", async () => {
    const schema = "h_disc_go";
    const dir = migrationDir({
      "00001_a.sql": goose("go_a"),
      "00002_b.go": "package migrations\n\nfunc init() { goose.AddMigration(up, down) }\n",
      "00003_c.sql": goose("go_c"),
    });
    const up = await cli(["up", dir, "--history-schema", schema], db.url);
    expect(up.code).toBe(1);
    expect(up.stdout).toContain("00002_b.go  warning  go-migration  a goose Go migration");
    expect(up.stderr).toMatch(
      /00002_b\.go: a goose Go migration is pending and safemigrate cannot run Go: run it with goose \(or, once it has run, record it with safemigrate baseline --to 00002\), then run up again\n$/,
    );
    // The migration before it ran; the one after it did not.
    expect(await tables("go_")).toEqual(["go_a"]);
    expect((await status(dir, schema)).map((r) => [r.version, r.state, r.go])).toEqual([
      ["00001", "complete", false],
      ["00002", "pending", true],
      ["00003", "pending", false],
    ]);
    const text = await cli(["status", dir, "--history-schema", schema], db.url);
    expect(text.stdout).toMatch(/00002 +b +pending \(go\)/);

    // --to before the Go migration: nothing to stop at; --to the Go migration itself: it stops there.
    expect((await cli(["up", dir, "--to", "00001", "--history-schema", schema], db.url)).code).toBe(0);
    const to = await cli(["up", dir, "--to", "00002", "--history-schema", schema], db.url);
    expect(to.code).toBe(1);
    expect(to.stderr).toContain("00002_b.go: a goose Go migration is pending");

    // goose ran it; baseline records it; up goes on with the next one.
    const baseline = await cli(["baseline", dir, "--to", "00002", "--history-schema", schema], db.url);
    expect(baseline.code).toBe(0);
    expect(baseline.stdout).toContain("recorded 1 migration(s) up to 00002 as applied (1 already recorded)");
    const again = await cli(["up", dir, "--history-schema", schema], db.url);
    expect(again.stderr).toBe("");
    expect(again.code).toBe(0);
    expect(await tables("go_")).toEqual(["go_a", "go_c"]);
    expect((await status(dir, schema)).map((r) => r.state)).toEqual(["complete", "complete", "complete"]);
    // contract passes over it; an edit of the applied Go source is drift, as for SQL.
    expect((await cli(["contract", dir, "--history-schema", schema], db.url)).code).toBe(0);
    writeFiles(dir, { "00002_b.go": "package migrations\n\n// edited\n" });
    expect((await status(dir, schema)).map((r) => r.state)).toEqual(["complete", "drifted", "complete"]);
  });
});
