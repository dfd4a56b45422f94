/**
 * A history written for `search_path=storage,public` (unqualified names that live in schema storage, as
 * supabase storage's): `plan` traces it and `up` runs it unedited, with `--search-path`, the `searchPath`
 * setting or `search_path` in the database URL, on a real server.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { cli, migrationDir } from "./helpers.js";

const HISTORY = {
  "001_schema.sql": "CREATE SCHEMA storage;",
  "002_objects.sql": "CREATE TABLE objects (id bigint PRIMARY KEY, name text);",
  "003_index.sql":
    "CREATE INDEX objects_name_idx ON objects (name);\nALTER TABLE objects ADD COLUMN owner text;",
};

const withSearchPath = (url: string, path: string) => {
  const parsed = new URL(url);
  parsed.searchParams.set("search_path", path);
  return parsed.toString();
};

describe.each(testMajors())("search_path on Postgres %s", (major) => {
  const databases: TestDatabase[] = [];
  const database = async () => {
    const db = await createTestDatabase(major);
    databases.push(db);
    return db;
  };
  afterAll(() => Promise.all(databases.map((d) => d.drop())));

  const tables = async (db: TestDatabase) =>
    (
      await db.sql<{ name: string }[]>`
        SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relname IN ('objects', 'objects_name_idx') ORDER BY 1`
    ).map((r) => r.name);

  it("runs the history into schema storage with --search-path, and plans it there", async () => {
    const db = await database();
    const dir = migrationDir(HISTORY);
    const planned = await cli(["plan", dir, "--search-path", "storage, public", "--format", "json"]);
    expect(planned.code, planned.stderr).toBe(0);
    const locks = JSON.parse(planned.stdout).migrations.flatMap(
      (m: { steps: { locks: { relation: string }[] }[] }) =>
        m.steps.flatMap((s) => s.locks.map((l) => l.relation)),
    );
    expect(new Set(locks)).toEqual(new Set(["storage.objects"]));

    const run = await cli(["up", dir, "--search-path", "storage,public"], db.url);
    expect(run.code, run.stderr).toBe(0);
    expect(await tables(db)).toEqual(["storage.objects", "storage.objects_name_idx"]);
    const [column] = await db.sql`SELECT 1 FROM information_schema.columns
      WHERE table_schema = 'storage' AND table_name = 'objects' AND column_name = 'owner'`;
    expect(column).toBeDefined();
  });

  it("takes search_path from the database URL, for up and for plan's replay of the applied migrations", async () => {
    const db = await database();
    const url = withSearchPath(db.url, "storage,public");
    const dir = migrationDir(HISTORY);
    expect((await cli(["up", dir, "--to", "002"], url)).code).toBe(0);
    const planned = await cli(["plan", dir, "--format", "json"], url);
    expect(planned.code, planned.stderr).toBe(0);
    const report = JSON.parse(planned.stdout);
    expect(report.migrations.map((m: { version: string }) => m.version)).toEqual(["003"]);
    const steps = report.migrations[0].steps as { locks: { relation: string }[]; traced: boolean }[];
    expect(steps.map((s) => [s.traced, s.locks.map((l) => l.relation)])).toEqual([
      [true, ["storage.objects"]],
      [true, ["storage.objects"]],
    ]);
    expect((await cli(["up", dir], url)).code).toBe(0);
    expect(await tables(db)).toEqual(["storage.objects", "storage.objects_name_idx"]);
  });

  it("takes searchPath from the config file, a list of names as written", async () => {
    const db = await database();
    const dir = migrationDir(HISTORY);
    const config = join(dir, "safemigrate.config.json");
    writeFileSync(config, JSON.stringify({ searchPath: ["storage", "public"] }));
    expect((await cli(["up", dir, "--config", config], db.url)).code).toBe(0);
    expect(await tables(db)).toEqual(["storage.objects", "storage.objects_name_idx"]);
  });

  it("without one, the history lands in public: the setting is what moves it", async () => {
    const db = await database();
    expect((await cli(["up", migrationDir(HISTORY)], db.url)).code).toBe(0);
    expect(await tables(db)).toEqual(["public.objects", "public.objects_name_idx"]);
  });

  it("refuses a search_path that is not one in a line, exit 2", async () => {
    const run = await cli(
      ["up", migrationDir(HISTORY), "--search-path", "storage,,public"],
      "postgres://u@h/d",
    );
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe("safemigrate: --search-path: an empty schema name in 'storage,,public'");
  });
});
