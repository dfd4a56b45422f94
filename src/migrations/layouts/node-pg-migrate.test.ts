import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, migrationDir } from "../../../test/run/helpers.js";
import { newMigration } from "../../recipes/new.js";
import { initParser } from "../../sql/parse.js";
import { discoverMigrations } from "../discover.js";
import { readDownPart } from "../down.js";
import type { Migration } from "../migration.js";
import { readMigrationFile } from "../read-file.js";
import { scaffoldFiles } from "../scaffold.js";
import { layoutByName } from "./index.js";

const CREATE = `-- Up Migration
CREATE TABLE "accounts" ("id" bigint PRIMARY KEY, "email" text);

-- Down Migration
DROP TABLE "accounts";
`;
// The down part first, then the up part: node-pg-migrate reads each from its comment to the other one.
const INDEX = `-- no transaction

-- down migration
DROP INDEX CONCURRENTLY "accounts_email_idx";

--- Up Migration
CREATE INDEX CONCURRENTLY "accounts_email_idx" ON "accounts" ("email");
`;

beforeAll(() => initParser());

describe("node-pg-migrate", () => {
  it("is detected by its section comments and ordered by the time its prefix stands for", async () => {
    const dir = migrationDir({
      // 17 digits: UTC 2023-11-14 22:13:20.001, a millisecond after the 13-digit one.
      "20231114221320001_index.sql": INDEX,
      "1700000000000_create.sql": CREATE,
      "1800000000000_plain.sql": "SELECT 1;\n",
      "1750000000000_seed.js": "exports.up = (pgm) => {};\n",
      "package.json": "{}",
    });
    const set = await discoverMigrations(dir);
    expect(set.layout).toBe("node-pg-migrate");
    expect(set.migrations.map((m) => [m.version, m.name])).toEqual([
      ["1700000000000", "create"],
      ["20231114221320001", "index"],
      ["1800000000000", "plain"],
    ]);
    expect(set.notices).toEqual([
      {
        kind: "unread-file",
        file: join(dir, "1750000000000_seed.js"),
        message:
          "not read: a node-pg-migrate JavaScript or TypeScript migration: safemigrate reads SQL only, so it is not linted, planned or run",
      },
    ]);
    const [create, index] = set.migrations;
    expect(create?.file).toMatchObject({ runsInTransaction: true, noTransaction: false });
    expect(create?.file.upText).not.toContain("DROP TABLE");
    expect(create?.file.upText).toHaveLength(CREATE.length);
    // `-- no transaction` in the opening comments; the down section before the up one is not up.
    expect(index?.file).toMatchObject({ runsInTransaction: false, noTransaction: true });
    expect(index?.file.upText).not.toContain("DROP INDEX");
    expect(index?.file.upText.split("\n")[6]).toBe(INDEX.split("\n")[6]);
  });

  it("reads the Down Migration section as the down part, with the file's opt-out", async () => {
    const dir = migrationDir({ "1700000000000_create.sql": CREATE, "1700000000001_index.sql": INDEX });
    const [create, index] = (await discoverMigrations(dir)).migrations;
    const down = await readDownPart(create as Migration);
    expect(down?.source).toBe("down-section");
    expect(down?.migration.file.upText.trim()).toBe('-- Down Migration\nDROP TABLE "accounts";');
    const indexDown = await readDownPart(index as Migration);
    expect(indexDown?.migration.file).toMatchObject({ runsInTransaction: false, noTransaction: true });
    expect(indexDown?.migration.file.upText).not.toContain("CREATE INDEX");
  });

  it("takes a comment that only starts like a section comment for no node-pg-migrate file", () => {
    const text = 'CREATE TABLE "t" ("id" int);\n-- up migration of the legacy data comes later\n';
    expect(readMigrationFile("0001_t.sql", text)).toMatchObject({ layout: "plain", file: { upText: text } });
  });

  it("runs a file without an up comment whole, down section included, as node-pg-migrate does", () => {
    const text = 'CREATE TABLE "t" ("id" int);\n-- Down Migration\nDROP TABLE "t";\n';
    const m = readMigrationFile("1700000000000_t.sql", text, { layout: "node-pg-migrate" });
    expect(m.file.upText).toBe(text);
  });

  it("lints the up part with the file's line numbers, a lone file read as node-pg-migrate", async () => {
    const dir = migrationDir({ "1700000000000_create.sql": CREATE, "1700000000001_index.sql": INDEX });
    const lone = readMigrationFile("1700000000001_index.sql", INDEX);
    expect(lone).toMatchObject({ layout: "node-pg-migrate", version: "1700000000001", name: "index" });
    const lint = await cli(["lint", dir, "--format", "json"]);
    const { findings, summary } = JSON.parse(lint.stdout);
    expect(summary).toMatchObject({ files: 2, statements: 2 });
    // The concurrent build outside a transaction is fine; the DROP TABLE of the down part is never linted.
    expect(findings.filter((f: { rule: string }) => f.rule !== "missing-lock-timeout")).toEqual([]);
  });

  it("new writes the next file with node-pg-migrate's comments and a millisecond prefix", async () => {
    const dir = migrationDir({ "1700000000000_create.sql": CREATE });
    const now = new Date("2026-12-04T02:30:15.123Z");
    const result = await newMigration({ name: "add note", dir, now });
    expect(result).toMatchObject({ layout: "node-pg-migrate", version: String(now.getTime()) });
    const text = await readFile(join(dir, `${now.getTime()}_add_note.sql`), "utf8");
    expect(text.startsWith("-- Up Migration\n-- safemigrate:expand\n")).toBe(true);
    expect(text).toMatch(/\n-- Down Migration\n$/);
    const set = await discoverMigrations(dir);
    expect(set.migrations.map((m) => m.name)).toEqual(["create", "add_note"]);
  });

  it("scaffolds a file that must run outside a transaction with node-pg-migrate's opt-out", () => {
    const parts = { expand: ["SELECT 1;"], contract: [], rollback: null, noTransaction: true };
    const [up] = scaffoldFiles(layoutByName("node-pg-migrate"), "1700000000000", "x", parts);
    expect(up?.text.startsWith("-- no transaction\n-- Up Migration\n")).toBe(true);
    const m = readMigrationFile(up?.rel as string, up?.text as string);
    expect(m).toMatchObject({
      layout: "node-pg-migrate",
      file: { noTransaction: true, runsInTransaction: false },
    });
  });
});
