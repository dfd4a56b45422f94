import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { detectLayout, discoverMigrations } from "./discover.js";
import type { MigrationSet } from "./migration.js";

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

/** A temporary directory holding `files` (path relative to it -> text). */
async function fixture(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "safemigrate-layout-"));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), text);
  }
  return root;
}

const versions = (set: MigrationSet) => set.migrations.map((m) => m.version);
const names = (set: MigrationSet) => set.migrations.map((m) => m.name);

describe("plain", () => {
  it("sorts numeric versions numerically, ties by name", async () => {
    const dir = await fixture({
      "10_ten.sql": "SELECT 10;",
      "9_nine.sql": "SELECT 9;",
      "2_b.sql": "SELECT 2;",
      "2_a.sql": "SELECT 2;",
      "README.md": "# notes",
    });
    const set = await discoverMigrations(dir);
    expect(set.layout).toBe("plain");
    expect(set.migrations.map((m) => `${m.version}_${m.name}`)).toEqual(["2_a", "2_b", "9_nine", "10_ten"]);
    expect(set.migrations[0]?.file).toMatchObject({ runsInTransaction: false, noTransaction: false });
    expect(set.migrations[0]?.file.path).toBe(join(dir, "2_a.sql"));
  });

  it("accepts a dash after the version (supabase storage: 0001-name.sql), detected or with --layout plain", async () => {
    const dir = await fixture({
      "0002-add-index.sql": "SELECT 2;",
      "0001-initialmigration.sql": "SELECT 1;",
      "0010_mixed.sql": "SELECT 10;",
    });
    for (const set of [await discoverMigrations(dir), await discoverMigrations(dir, { layout: "plain" })]) {
      expect(set.layout).toBe("plain");
      expect(set.migrations.map((m) => [m.version, m.name])).toEqual([
        ["0001", "initialmigration"],
        ["0002", "add-index"],
        ["0010", "mixed"],
      ]);
    }
  });

  it("gives an empty set for a directory without migrations", async () => {
    const set = await discoverMigrations(await fixture({ "notes.txt": "x" }));
    expect(set).toMatchObject({ layout: "plain", migrations: [] });
  });
});

describe("flyway", () => {
  it("orders 1.9 before 1.10, repeatables last by name, and runs in a transaction", async () => {
    const dir = await fixture({
      "V1.10__ten.sql": "SELECT 1;",
      "V1.9__nine.sql": "SELECT 1;",
      "V2__two.sql": "SELECT 1;",
      "V1_2__underscored.sql": "SELECT 1;",
      "R__b_view.sql": "SELECT 1;",
      "R__a_view.sql": "SELECT 1;",
      "U2__undo.sql": "SELECT 1;",
      "V3__conf.sql": "CREATE INDEX CONCURRENTLY i ON t (a);",
      "V3__conf.sql.conf": "executeInTransaction=false\n",
    });
    const set = await discoverMigrations(dir);
    expect(set.layout).toBe("flyway");
    expect(versions(set)).toEqual(["1.2", "1.9", "1.10", "2", "3", "R__a_view", "R__b_view"]);
    expect(set.migrations.filter((m) => m.repeatable).map((m) => m.name)).toEqual(["a_view", "b_view"]);
    expect(set.migrations[0]?.file.runsInTransaction).toBe(true);
    expect(set.migrations[4]?.file).toMatchObject({ noTransaction: true, runsInTransaction: false });
  });
});

describe("golang-migrate", () => {
  it("reads the .up.sql files in numeric order and ignores .down.sql", async () => {
    const dir = await fixture({
      "10_c.up.sql": "SELECT 10;",
      "10_c.down.sql": "SELECT -10;",
      "2_b.up.sql": "SELECT 2;",
      "2_b.down.sql": "SELECT -2;",
      "1_a.up.sql": "SELECT 1;",
      "1_a.down.sql": "SELECT -1;",
    });
    const set = await discoverMigrations(dir);
    expect(set.layout).toBe("golang-migrate");
    expect(versions(set)).toEqual(["1", "2", "10"]);
    expect(names(set)).toEqual(["a", "b", "c"]);
    expect(set.migrations.every((m) => !m.file.text.includes("-"))).toBe(true);
    expect(set.migrations[0]?.file.runsInTransaction).toBe(false);
  });
});

describe("goose", () => {
  it("keeps the Up section at its lines, honours NO TRANSACTION and sorts numerically", async () => {
    const text = [
      "-- +goose NO TRANSACTION",
      "-- +goose Up",
      "-- +goose StatementBegin",
      "SELECT 1;",
      "-- +goose StatementEnd",
      "",
      "CREATE INDEX CONCURRENTLY i ON t (a);",
      "-- +goose Down",
      "DROP INDEX i;",
    ].join("\n");
    const dir = await fixture({
      "00010_index.sql": text,
      "00002_table.sql": "-- +goose Up\nCREATE TABLE t (a int);\n-- +goose Down\nDROP TABLE t;\n",
      "00003_go.go": "package migrations",
    });
    const set = await discoverMigrations(dir);
    expect(set.layout).toBe("goose");
    // The Go migration is in goose's sequence (it cannot be read as SQL: see the goose Go tests).
    expect(versions(set)).toEqual(["00002", "00003", "00010"]);
    expect(set.migrations.map((m) => m.go ?? false)).toEqual([false, true, false]);
    const [table, , index] = set.migrations;
    expect(table?.file).toMatchObject({ runsInTransaction: true, noTransaction: false });
    expect(index?.file).toMatchObject({ runsInTransaction: false, noTransaction: true });
    expect(index?.file.upText.split("\n")[6]).toBe("CREATE INDEX CONCURRENTLY i ON t (a);");
    expect(index?.file.upText).not.toContain("DROP INDEX");
  });
});

describe("dbmate", () => {
  it("keeps the up section, honours transaction:false and sorts by file name", async () => {
    const dir = await fixture({
      "20240102000000_index.sql":
        "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n\n-- migrate:down\nDROP INDEX i;\n",
      "20240101000000_table.sql": "-- migrate:up\nCREATE TABLE t (a int);\n-- migrate:down\nDROP TABLE t;\n",
    });
    const set = await discoverMigrations(dir);
    expect(set.layout).toBe("dbmate");
    expect(names(set)).toEqual(["table", "index"]);
    expect(set.migrations[0]?.file).toMatchObject({ runsInTransaction: true, noTransaction: false });
    expect(set.migrations[1]?.file).toMatchObject({ runsInTransaction: false, noTransaction: true });
    expect(set.migrations[1]?.file.upText).not.toContain("DROP");
  });
});

describe("diesel", () => {
  it("sorts versions with dashes removed and honours metadata.toml", async () => {
    const dir = await fixture({
      "00000000000000_diesel_initial_setup/up.sql": "SELECT 0;",
      "00000000000000_diesel_initial_setup/down.sql": "SELECT 0;",
      "2017-09-23-182408_x/up.sql": "CREATE INDEX CONCURRENTLY i ON t (a);",
      "2017-09-23-182408_x/metadata.toml": "run_in_transaction = false\n",
      "20170309122510_y/up.sql": "SELECT 1;",
      "2026-06-26-100902-0000_z/up.sql": "SELECT 1;",
      "not_a_migration/README.md": "",
      "README.md": "",
      "data.sql": "SELECT 1;",
    });
    const set = await discoverMigrations(dir);
    expect(set.layout).toBe("diesel");
    expect(versions(set)).toEqual([
      "00000000000000",
      "20170309122510",
      "2017-09-23-182408",
      "2026-06-26-100902-0000",
    ]);
    expect(names(set)).toEqual(["diesel_initial_setup", "y", "x", "z"]);
    expect(set.migrations[1]?.file).toMatchObject({ runsInTransaction: true, noTransaction: false });
    expect(set.migrations[2]?.file).toMatchObject({ runsInTransaction: false, noTransaction: true });
    expect(set.migrations[2]?.file.path).toBe(join(dir, "2017-09-23-182408_x", "up.sql"));
  });
});

describe("prisma", () => {
  it("reads each directory's migration.sql in name order", async () => {
    const dir = await fixture({
      "migration_lock.toml": 'provider = "postgresql"\n',
      "20230411134605_second/migration.sql": "SELECT 2;",
      "20230404095503_initial/migration.sql": "SELECT 1;",
    });
    const set = await discoverMigrations(dir);
    expect(set.layout).toBe("prisma");
    expect(names(set)).toEqual(["initial", "second"]);
    expect(set.migrations[0]?.file.runsInTransaction).toBe(false);
  });
});

describe("pop", () => {
  it("prefers the postgres file, ignores fizz and other dialects, honours .autocommit.", async () => {
    const dir = await fixture({
      "20200101000000_a.up.sql": "SELECT 'generic';",
      "20200101000000_a.postgres.up.sql": "SELECT 'postgres';",
      "20200101000000_a.mysql.up.sql": "SELECT 'mysql';",
      "20200101000000_a.postgres.down.sql": "SELECT 'down';",
      "20200102000000_b.up.fizz": 'create_table("b")',
      "20200103000000_c.sqlite3.up.sql": "SELECT 'sqlite';",
      "20200104000000_d.postgres.autocommit.up.sql": "CREATE INDEX CONCURRENTLY i ON t (a);",
      "20200105000000_e.up.sql": "SELECT 'generic only';",
    });
    const set = await discoverMigrations(dir);
    expect(set.layout).toBe("pop");
    expect(versions(set)).toEqual(["20200101000000", "20200104000000", "20200105000000"]);
    expect(set.migrations[0]?.file.text).toBe("SELECT 'postgres';");
    expect(set.migrations[0]?.file.runsInTransaction).toBe(true);
    expect(set.migrations[1]?.file).toMatchObject({ runsInTransaction: false, noTransaction: true });
  });
});

describe("detection", () => {
  it("decides by the files present", async () => {
    expect(await detectLayout(await fixture({ "1_a/up.sql": "", "1_a/down.sql": "" }))).toBe("diesel");
    expect(await detectLayout(await fixture({ "1_a/migration.sql": "" }))).toBe("prisma");
    expect(await detectLayout(await fixture({ "1_a.up.sql": "", "1_a.down.sql": "" }))).toBe(
      "golang-migrate",
    );
    expect(await detectLayout(await fixture({ "1_a.postgres.up.sql": "", "1_a.up.sql": "" }))).toBe("pop");
    expect(await detectLayout(await fixture({ "V1__a.sql": "", "1_b.sql": "" }))).toBe("flyway");
    expect(await detectLayout(await fixture({ "1_a.sql": "-- +goose Up\n", "2_b.sql": "" }))).toBe("goose");
    expect(await detectLayout(await fixture({ "1_a.sql": "-- migrate:up\n" }))).toBe("dbmate");
    expect(await detectLayout(await fixture({ "1_a.sql": "SELECT 1;" }))).toBe("plain");
    expect(await detectLayout(await fixture({}))).toBe("plain");
  });

  it("picks the layout with the most matching files when ambiguous", async () => {
    const dir = await fixture({
      "V1__a.sql": "",
      "1_a.up.sql": "",
      "2_b.up.sql": "",
      "1_x.sql": "-- migrate:up\n",
    });
    expect(await detectLayout(dir)).toBe("golang-migrate");
  });

  it("reads a directory as the layout given", async () => {
    const dir = await fixture({
      "1_a.sql": "SELECT 1;\n-- +goose Down\nSELECT 2;\n",
      "2_b.sql": "SELECT 3;",
    });
    const set = await discoverMigrations(dir, { layout: "goose" });
    expect(set.layout).toBe("goose");
    expect(set.migrations).toHaveLength(2);
    expect(set.migrations[0]?.file.upText).not.toContain("SELECT 2");
  });

  it("reads a file given instead of a directory", async () => {
    const dir = await fixture({ "5_x.sql": "-- +goose Up\nSELECT 1;\n" });
    const set = await discoverMigrations(join(dir, "5_x.sql"));
    expect(set).toMatchObject({ layout: "goose", migrations: [{ version: "5", name: "x" }] });
  });
});

describe("errors", () => {
  it("throws a one-line UsageError naming a missing path", async () => {
    const missing = join(tmpdir(), "safemigrate-no-such-dir", "migrations-x");
    const error = await discoverMigrations(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(`cannot read ${missing}: no such file or directory`);
  });

  it("throws a UsageError when a path component is a file", async () => {
    const dir = await fixture({ "1_a.sql": "SELECT 1;" });
    const error = await discoverMigrations(join(dir, "1_a.sql", "sub")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(`cannot read ${join(dir, "1_a.sql", "sub")}: not a directory`);
  });
});

describe("the separator after the version", () => {
  it("goose and golang-migrate require `_`, as those tools do; dbmate takes any name after the digits", async () => {
    const goose = await fixture({
      "1_a.sql": "-- +goose Up\nSELECT 1;\n",
      "2-b.sql": "-- +goose Up\nSELECT 2;\n",
    });
    expect(versions(await discoverMigrations(goose))).toEqual(["1"]);
    const golang = await fixture({ "1_a.up.sql": "SELECT 1;", "2-b.up.sql": "SELECT 2;" });
    expect(versions(await discoverMigrations(golang))).toEqual(["1"]);
    const dbmate = await fixture({
      "1_a.sql": "-- migrate:up\nSELECT 1;\n",
      "2-b.sql": "-- migrate:up\nSELECT 2;\n",
    });
    expect(names(await discoverMigrations(dbmate))).toEqual(["a", "b"]);
  });
});
