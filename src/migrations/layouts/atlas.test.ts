import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, migrationDir, writeFiles } from "../../../test/run/helpers.js";
import { atlasDirectory } from "../../../test/support/layout-fixtures.js";
import { newMigration } from "../../recipes/new.js";
import { initParser } from "../../sql/parse.js";
import { discoverMigrations } from "../discover.js";
import { atlasSum } from "./atlas.js";

const INIT =
  '-- Create "users" table\nCREATE TABLE "users" ("id" bigint NOT NULL, "email" text NULL, PRIMARY KEY ("id"));\n';
const INDEX =
  '-- atlas:txmode none\n\n-- Create index "users_email" to table: "users"\nCREATE INDEX CONCURRENTLY "users_email" ON "users" ("email");\n';
const NAME = 'ALTER TABLE "users" ADD COLUMN "name" text NULL;\n';

beforeAll(() => initParser());

describe("atlas", () => {
  it("is detected by atlas.sum and read in its order, a txmode none header opting out of the transaction", async () => {
    const dir = migrationDir(
      atlasDirectory({
        "20240101000000_init.sql": INIT,
        "20240102000000_email_index.sql": INDEX,
        "20240103000000.sql": NAME,
      }),
    );
    const set = await discoverMigrations(dir);
    expect(set.layout).toBe("atlas");
    expect(set.notices).toEqual([]);
    expect(set.migrations.map((m) => [m.version, m.name, m.file.runsInTransaction])).toEqual([
      ["20240101000000", "init", true],
      ["20240102000000", "email_index", false],
      ["20240103000000", "", true],
    ]);
  });

  it("reads a txmode directive only in the header set apart by an empty line, as Atlas does", async () => {
    const glued = "-- atlas:txmode none\nCREATE INDEX CONCURRENTLY i ON t (a);\n";
    const dir = migrationDir(atlasDirectory({ "1_a.sql": glued }));
    const [migration] = (await discoverMigrations(dir)).migrations;
    expect(migration?.file.runsInTransaction).toBe(true);
    const lint = await cli(["lint", dir, "--format", "json"]);
    const finding = JSON.parse(lint.stdout).findings.find(
      (f: { rule: string }) => f.rule === "concurrently-in-transaction",
    );
    expect(finding).toMatchObject({ line: 2 });
    expect(finding.message).toContain("opt the file out with -- atlas:txmode none");
  });

  it("reports what atlas migrate apply refuses: an edited file, a file the sum does not list, a listed file that is gone", async () => {
    const dir = migrationDir(
      atlasDirectory({ "1_init.sql": INIT, "2_name.sql": NAME, "3_gone.sql": "SELECT 1;\n" }),
    );
    writeFiles(dir, { "2_name.sql": `${NAME}-- edited\n`, "4_new.sql": "SELECT 4;\n" });
    const { rmSync } = await import("node:fs");
    rmSync(join(dir, "3_gone.sql"));
    const set = await discoverMigrations(dir);
    expect(set.migrations.map((m) => m.version)).toEqual(["1", "2"]);
    const notices = set.notices.map((n) => `${n.kind} ${n.file.split("/").at(-1)}: ${n.message}`);
    expect(notices).toEqual([
      "unread-file 4_new.sql: not read: the directory is atlas layout, and atlas.sum does not list this file: atlas migrate apply refuses the directory until atlas migrate hash",
      "refused-by-tool atlas.sum: lists 3_gone.sql, but the file is missing: atlas migrate apply refuses the directory",
      "refused-by-tool atlas.sum: does not match the migration files (first differing: 2_name.sql): atlas migrate apply refuses the directory until atlas migrate hash",
    ]);
  });

  it("says a damaged sum file is refused, and an atlas.sum listing none of the files is not Atlas's", async () => {
    expect(
      (await discoverMigrations(migrationDir({ "1_init.sql": INIT, "atlas.sum": "h1:x\n" }))).layout,
    ).toBe("plain");
    const dir = migrationDir({ "1_init.sql": INIT, "atlas.sum": "h1:x\n1_init.sql h1:y\nnot a sum line\n" });
    const set = await discoverMigrations(dir);
    expect(set.layout).toBe("atlas");
    expect(set.notices.map((n) => n.kind)).toContain("refused-by-tool");
  });

  it("new writes the next file and hashes atlas.sum again, as atlas migrate new does", async () => {
    const dir = migrationDir(atlasDirectory({ "20240101000000_init.sql": INIT }));
    const now = new Date("2024-06-01T12:00:00Z");
    const created = await newMigration({ dir, name: "add name", now });
    expect(created.files.map((f) => f.split("/").at(-1))).toEqual([
      "20240601120000_add_name.sql",
      "atlas.sum",
    ]);
    const set = await discoverMigrations(dir);
    expect(set.notices).toEqual([]);
    expect(set.migrations.map((m) => m.version)).toEqual(["20240101000000", "20240601120000"]);
    const sum = await readFile(join(dir, "atlas.sum"), "utf8");
    expect(sum.split("\n")[2]).toMatch(/^20240601120000_add_name\.sql h1:/);
  });

  it("hashes a file with atlas:sum ignore by its name only, with no line of its own", () => {
    const file = (name: string, text: string) => ({ name, bytes: Buffer.from(text, "utf8") });
    const sum = atlasSum([
      file("1_a.sql", "SELECT 1;\n"),
      file("2_b.sql", "-- atlas:sum ignore\n\nSELECT 2;\n"),
    ]);
    expect(sum.files.map((f) => f.name)).toEqual(["1_a.sql"]);
  });
});
