import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { discoverMigrations } from "./discover.js";
import type { LayoutName } from "./migration.js";
import { refuseUnread } from "./unread.js";

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

async function fixture(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "safemigrate-unread-"));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), text);
  }
  return root;
}

/** The notices of a directory as `kind file: message`, with the file relative to the directory. */
async function notices(files: Record<string, string>, layout?: LayoutName): Promise<string[]> {
  const dir = await fixture(files);
  const set = await discoverMigrations(dir, layout ? { layout } : {});
  return set.notices.map((n) => `${n.kind} ${n.file.slice(dir.length + 1) || "."}: ${n.message}`);
}

describe("files not read", () => {
  it("names the files of another layout in a directory that mixes layouts", async () => {
    expect(
      await notices({
        "1_a.up.sql": "SELECT 1;",
        "1_a.down.sql": "SELECT 1;",
        "2_b.up.sql": "SELECT 2;",
        "V3__c.sql": "SELECT 3;",
      }),
    ).toEqual([
      "unread-file V3__c.sql: not read: the directory is golang-migrate layout, this file is named like flyway",
    ]);
  });

  it("says why a name fits no layout, and ignores what is not a migration", async () => {
    expect(
      await notices({
        "V1__a.sql": "SELECT 1;",
        "V1__a.sql.conf": "executeInTransaction=false",
        "U1__a.sql": "SELECT 1;",
        "README.md": "# migrations",
        ".gitkeep": "",
        "atlas.sum": "h1:x",
        "seed.sql": "SELECT 0;",
        "migrations.go": "package migrations",
      }),
    ).toEqual([
      "unread-file seed.sql: not read: the directory is flyway layout, whose migration files are named `V<version>__<name>.sql` or `R__<name>.sql`",
    ]);
  });

  it("reports .sql files in subdirectories of a flat layout, and fizz migrations of pop", async () => {
    expect(
      await notices({
        "20240101_a.postgres.up.sql": "SELECT 1;",
        "20240101_a.postgres.down.sql": "SELECT 1;",
        "20240101_a.mysql.up.sql": "SELECT 1;",
        "20240102_b.up.fizz": 'create_table("b")',
        "seeds/users.sql": "SELECT 1;",
      }),
    ).toEqual([
      "unread-file 20240102_b.up.fizz: not read: a fizz migration (safemigrate reads SQL only)",
      "unread-file seeds/users.sql: not read: the directory is pop layout, whose migrations are files directly in the directory",
    ]);
  });

  it("dbmate reads any name that starts with digits; goose and dbmate names count only with their markers", async () => {
    expect(
      await notices({
        "1_a.sql": "-- migrate:up\nSELECT 1;\n",
        "2-b.up.sql": "SELECT 2;",
      }),
    ).toEqual([]);
    expect(
      await notices({ "1_a.sql": "-- migrate:up\nSELECT 1;\n", "x_2.sql": "SELECT 2;" }, "diesel"),
    ).toEqual([
      "unread-file 1_a.sql: not read: the directory is diesel layout, this file is named like dbmate",
      "unread-file x_2.sql: not read: the directory is diesel layout, whose migration files are named `<version>_<name>/up.sql`",
      "no-migrations .: no migrations read: 2 files look like a migration but not like a diesel one (reported above)",
    ]);
  });

  it("warns about an empty directory and about one where nothing is read", async () => {
    expect(await notices({ "README.md": "" })).toEqual([
      "no-migrations .: no migrations: the directory holds no migration files",
    ]);
    expect(await notices({ "0001-a.sql": "SELECT 1;" }, "goose")).toEqual([
      "unread-file 0001-a.sql: not read: the directory is goose layout, this file is named like plain",
      "no-migrations .: no migrations read: 1 file looks like a migration but not like a goose one (reported above)",
    ]);
  });

  it("names goose Go migrations in goose directories, and as goose's elsewhere", async () => {
    expect(
      await notices({
        "1_a.sql": "-- +goose Up\nSELECT 1;\n",
        "2_b.go": "package m",
        "2_b_test.go": "package m",
      }),
    ).toEqual([
      "go-migration 2_b.go: a goose Go migration: safemigrate cannot analyse or run Go; it is listed and recorded, and up stops before it while it is pending",
    ]);
    expect(await notices({ "1_a.up.sql": "SELECT 1;", "2_b.go": "package m" })).toEqual([
      "unread-file 2_b.go: not read: the directory is golang-migrate layout, this file is named like a goose Go migration",
    ]);
  });

  it("names a migration whose version an earlier one has", async () => {
    expect(await notices({ "0001-a.sql": "SELECT 1;", "0001_b.sql": "SELECT 2;", "0002_c.sql": "" })).toEqual(
      [
        expect.stringMatching(
          /^duplicate-version 0001_b\.sql: version 0001 is also that of \/.*\/0001-a\.sql: the history keeps one record per version, so only one of them could run$/,
        ),
      ],
    );
  });

  it("--strict: refuses what was not read, not Go migrations", async () => {
    const dir = await fixture({
      "1_a.up.sql": "SELECT 1;",
      "2_b.up.sql": "SELECT 1;",
      "V2__b.sql": "SELECT 2;",
      "V3__c.sql": "SELECT 3;",
    });
    const set = await discoverMigrations(dir);
    expect(() => refuseUnread(set.notices)).toThrow(UsageError);
    expect(() => refuseUnread(set.notices)).toThrow(
      `${join(dir, "V2__b.sql")}: not read: the directory is golang-migrate layout, this file is named like flyway (and 1 more) (--strict)`,
    );
    const goose = await discoverMigrations(
      await fixture({ "1_a.sql": "-- +goose Up\n", "2_b.go": "package m" }),
    );
    expect(() => refuseUnread(goose.notices)).not.toThrow();
  });
});
