import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { discoverMigrations } from "./discover.js";
import { downPartNames, readDownPart } from "./down.js";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** The down part of the last migration of a directory made of `files`. */
async function lastDown(files: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), "sm-down-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  const migration = (await discoverMigrations(dir)).migrations.at(-1);
  if (!migration) throw new Error("no migration");
  return { migration, down: await readDownPart(migration) };
}

describe("readDownPart", () => {
  it.each([
    [
      "golang-migrate",
      { "1_a.up.sql": "CREATE TABLE a ();", "1_a.down.sql": "DROP TABLE a;" },
      /1_a\.down\.sql$/,
    ],
    [
      "diesel",
      { "2024-01-01-000000_a/up.sql": "CREATE TABLE a ();", "2024-01-01-000000_a/down.sql": "DROP TABLE a;" },
      /_a\/down\.sql$/,
    ],
    [
      "pop",
      {
        "20240101000000_a.postgres.up.sql": "CREATE TABLE a ();",
        "20240101000000_a.postgres.down.sql": "DROP TABLE a;",
      },
      /postgres\.down\.sql$/,
    ],
    [
      "pop without a dialect in the down file",
      {
        "20240101000000_a.postgres.up.sql": "CREATE TABLE a ();",
        "20240101000000_a.down.sql": "DROP TABLE a;",
      },
      /_a\.down\.sql$/,
    ],
    ["flyway", { "V1__a.sql": "CREATE TABLE a ();", "U1__a.sql": "DROP TABLE a;" }, /U1__a\.sql$/],
  ])("reads the %s down file", async (_layout, files, path) => {
    const { down } = await lastDown(files);
    expect(down?.source).toBe("down-file");
    expect(down?.migration.file.path).toMatch(path);
    expect(down?.migration.file.upText).toBe("DROP TABLE a;");
    expect(down?.migration.file.rollback).toBe(true);
  });

  it("reads a dbmate down section and prefers a rollback section to it", async () => {
    const dbmate = "-- migrate:up\nCREATE TABLE a ();\n-- migrate:down\nDROP TABLE a;\n";
    const { down } = await lastDown({ "20240101000000_a.sql": dbmate });
    expect(down).toMatchObject({ source: "down-section" });
    expect(down?.migration.file.upText.trim()).toBe("DROP TABLE a;");
    const both =
      "-- migrate:up\nCREATE TABLE a ();\n-- safemigrate:rollback\nDROP TABLE a RESTRICT;\n-- migrate:down\nDROP TABLE a;\n";
    const preferred = await lastDown({ "20240101000000_a.sql": both });
    expect(preferred.down).toMatchObject({ source: "rollback-section" });
    expect(preferred.down?.migration.file.upText.trim()).toBe("DROP TABLE a RESTRICT;");
  });

  it("has none for a prisma migration or a golang-migrate one without its down file, and says where it looked", async () => {
    const prisma = await lastDown({
      "20240101000000_a/migration.sql": "CREATE TABLE a ();",
      "migration_lock.toml": "",
    });
    expect(prisma.down).toBeNull();
    expect(downPartNames(prisma.migration)).toBe(
      "no -- safemigrate:rollback section, prisma keeps no down part",
    );
    const golang = await lastDown({ "1_a.up.sql": "CREATE TABLE a ();" });
    expect(golang.down).toBeNull();
    expect(downPartNames(golang.migration)).toMatch(
      /^no -- safemigrate:rollback section, no .*1_a\.down\.sql$/,
    );
  });
});
