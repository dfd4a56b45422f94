import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { discoverMigrations } from "../migrations/discover.js";
import type { LayoutName } from "../migrations/migration.js";
import { newMigration } from "./new.js";

const NOW = new Date("2026-12-04T02:30:15Z");
const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

async function fixture(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "safemigrate-new-"));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), text);
  }
  return root;
}

const INIT = "CREATE TABLE t (id bigint PRIMARY KEY);\n";

/** Per layout: a directory with one migration, and the files `new` adds after it. */
const CASES: Array<[LayoutName, Record<string, string>, string, string[]]> = [
  ["plain", { "0007_init.sql": INIT }, "0008", ["0008_add_x.sql"]],
  ["flyway", { "V3__init.sql": INIT }, "4", ["V4__add_x.sql"]],
  [
    "golang-migrate",
    { "20240101000000_init.up.sql": INIT, "20240101000000_init.down.sql": "" },
    "20261204023015",
    ["20261204023015_add_x.up.sql", "20261204023015_add_x.down.sql"],
  ],
  ["goose", { "00005_init.sql": `-- +goose Up\n${INIT}` }, "00006", ["00006_add_x.sql"]],
  [
    "dbmate",
    { "20240101000000_init.sql": `-- migrate:up\n${INIT}` },
    "20261204023015",
    ["20261204023015_add_x.sql"],
  ],
  [
    "diesel",
    { "2024-01-01-000000_init/up.sql": INIT, "2024-01-01-000000_init/down.sql": "" },
    "2026-12-04-023015",
    ["2026-12-04-023015_add_x/up.sql", "2026-12-04-023015_add_x/down.sql"],
  ],
  [
    "prisma",
    { "20240101000000_init/migration.sql": INIT, "migration_lock.toml": 'provider = "postgresql"\n' },
    "20261204023015",
    ["20261204023015_add_x/migration.sql"],
  ],
  [
    "pop",
    { "20240101000000_init.postgres.up.sql": INIT },
    "20261204023015",
    ["20261204023015_add_x.up.sql", "20261204023015_add_x.down.sql"],
  ],
];

describe("new without a recipe", () => {
  it.each(CASES)(
    "writes the next %s migration, read back in the same layout as the newest",
    async (layout, files, version, written) => {
      const dir = await fixture(files);
      const result = await newMigration({ name: "add x", dir, now: NOW });
      expect(result).toMatchObject({ layout, version });
      expect(result.files.map((f) => f.slice(dir.length + 1))).toEqual(written);
      const set = await discoverMigrations(dir);
      expect(set.layout).toBe(layout);
      expect(set.migrations.at(-1)).toMatchObject({ version, name: "add_x" });
      expect(set.notices).toEqual([]);
      const up = await readFile(join(dir, written[0] as string), "utf8");
      expect(up).toContain("-- safemigrate:expand\n");
      expect(up).toContain("-- safemigrate:contract\n");
    },
  );

  it("uses the given layout in an empty directory, else plain, and creates a missing directory", async () => {
    const root = await fixture({});
    const goose = await newMigration({ name: "first", dir: join(root, "goose"), layout: "goose", now: NOW });
    expect(goose.files.map((f) => f.slice(root.length + 1))).toEqual(["goose/20261204023015_first.sql"]);
    const plain = await newMigration({ name: "first", dir: join(root, "plain"), now: NOW });
    expect(plain.files.map((f) => f.slice(root.length + 1))).toEqual(["plain/0001_first.sql"]);
    const text = await readFile(join(root, "plain", "0001_first.sql"), "utf8");
    expect(text).toBe("-- safemigrate:expand\n\n\n-- safemigrate:contract\n\n\n-- safemigrate:rollback\n\n");
  });

  it("lower-cases prisma names, as prisma migrate does", async () => {
    const dir = await fixture({ "20240101000000_init/migration.sql": INIT });
    const result = await newMigration({ name: "Add User Email", dir, now: NOW });
    expect(result.files[0]).toMatch(/20261204023015_add_user_email\/migration\.sql$/);
  });

  it("never overwrites a file, and writes nothing when one of its files exists", async () => {
    const dir = await fixture({ "1_init.up.sql": INIT, "2_add_x.down.sql": "-- mine\n" });
    await expect(newMigration({ name: "add x", dir, now: NOW })).rejects.toThrow(
      /^new: .*2_add_x\.down\.sql exists already; nothing was written$/,
    );
    expect((await discoverMigrations(dir)).migrations.map((m) => m.version)).toEqual(["1"]);
    expect(await readFile(join(dir, "2_add_x.down.sql"), "utf8")).toBe("-- mine\n");
  });

  it("refuses a directory that is a file", async () => {
    const dir = await fixture({ "x.sql": INIT });
    await expect(newMigration({ name: "a", dir: join(dir, "x.sql"), now: NOW })).rejects.toThrow(
      /^new: .*x\.sql is not a directory$/,
    );
  });

  it("refuses a name that leaves nothing for the file", async () => {
    const dir = await fixture({});
    await expect(newMigration({ name: " -- ", dir, now: NOW })).rejects.toThrow(
      /leaves no name for the file/,
    );
  });
});
