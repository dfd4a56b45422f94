import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, migrationDir } from "../../../test/run/helpers.js";
import { drizzleJournal as journal } from "../../../test/support/layout-fixtures.js";
import { UsageError } from "../../errors.js";
import { newMigration } from "../../recipes/new.js";
import { initParser } from "../../sql/parse.js";
import { discoverMigrations } from "../discover.js";
import { readMigrationFile } from "../read-file.js";

const USERS = [
  'CREATE TABLE "users" (',
  '\t"id" serial PRIMARY KEY NOT NULL,',
  '\t"email" text NOT NULL',
  ");",
  "--> statement-breakpoint",
  'CREATE TABLE "posts" (',
  '\t"id" serial PRIMARY KEY NOT NULL,',
  '\t"user_id" integer',
  ");",
  "",
].join("\n");
// Hand-written: statements end at the breakpoints, without semicolons.
const NO_SEMICOLONS =
  'ALTER TABLE "posts" ADD COLUMN "title" text\n--> statement-breakpoint\nCREATE INDEX "posts_user_id_idx" ON "posts" ("user_id")\n';

beforeAll(() => initParser());

describe("drizzle-kit", () => {
  it("is detected by its journal and read in the journal's order, not the files' names", async () => {
    const dir = migrationDir({
      "0000_brave_wolf.sql": USERS,
      "0001_add_title.sql": NO_SEMICOLONS,
      "0002_custom.sql": "SELECT 1;\n",
      "meta/_journal.json": journal(["0000_brave_wolf", "0002_custom", "0001_add_title"]),
      "meta/0000_snapshot.json": "{}",
    });
    const set = await discoverMigrations(dir);
    expect(set.layout).toBe("drizzle-kit");
    expect(set.migrations.map((m) => [m.version, m.name])).toEqual([
      ["0000", "brave_wolf"],
      ["0002", "custom"],
      ["0001", "add_title"],
    ]);
    expect(set.notices).toEqual([]);
    expect(set.migrations[0]?.file).toMatchObject({ runsInTransaction: true, noTransaction: false });
  });

  it("splits statements at --> statement-breakpoint, with the file's line numbers", async () => {
    const dir = migrationDir({
      "0000_init.sql": USERS,
      "0001_add_title.sql": NO_SEMICOLONS,
      "meta/_journal.json": journal(["0000_init", "0001_add_title"]),
    });
    const lint = await cli(["lint", dir, "--format", "json"]);
    const { findings, summary } = JSON.parse(lint.stdout);
    // Parsed as three statements and two (no syntax error); the index build is reported on line 3 of its file.
    expect(summary).toMatchObject({ files: 2, statements: 4 });
    expect(findings.map((f: { rule: string }) => f.rule)).not.toContain("syntax-error");
    const index = findings.find((f: { rule: string }) => f.rule === "create-index-non-concurrent");
    expect(index).toMatchObject({ file: join(dir, "0001_add_title.sql"), line: 3, column: 1 });
  });

  it("lints a concurrent build as inside drizzle's one transaction, which no file can leave", async () => {
    const dir = migrationDir({
      "0000_init.sql": USERS,
      "0001_index.sql": 'CREATE INDEX CONCURRENTLY "posts_user_id_idx" ON "posts" ("user_id");\n',
      "meta/_journal.json": journal(["0000_init", "0001_index"]),
    });
    const { findings } = JSON.parse((await cli(["lint", dir, "--format", "json"])).stdout);
    expect(findings.find((f: { rule: string }) => f.rule === "concurrently-in-transaction")?.message).toBe(
      "CREATE INDEX CONCURRENTLY is in a file that drizzle-kit runs inside one transaction, where Postgres rejects it (drizzle's migrator runs all pending files in one transaction, with no opt-out)",
    );
  });

  it("reports a file the journal does not list, and a journal entry without its file", async () => {
    const dir = migrationDir({
      "0000_init.sql": USERS,
      "0001_stray.sql": "SELECT 1;\n",
      "meta/_journal.json": journal(["0000_init", "0002_gone"]),
    });
    const set = await discoverMigrations(dir);
    expect(set.migrations.map((m) => m.name)).toEqual(["init"]);
    expect(set.notices).toEqual([
      expect.objectContaining({ kind: "unread-file", file: join(dir, "0001_stray.sql") }),
      {
        kind: "refused-by-tool",
        file: join(dir, "0002_gone.sql"),
        message:
          "meta/_journal.json lists 0002_gone, but the file is missing: drizzle's migrator stops at it",
      },
    ]);
    expect(set.notices[0]?.message).toBe(
      "not read: the directory is drizzle-kit layout, and meta/_journal.json does not list this file: drizzle's migrator never runs it",
    );
  });

  it("refuses a journal that is not JSON, naming it", async () => {
    const dir = migrationDir({ "0000_init.sql": USERS, "meta/_journal.json": "{ entries: [" });
    const error = await discoverMigrations(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/meta\/_journal\.json: not valid JSON \(/);
  });

  it("reads drizzle-kit 1.0 migration folders (migration.sql beside snapshot.json) in name order, not as prisma", async () => {
    const dir = migrationDir({
      "20251222213451_pretty_mockingbird/migration.sql": NO_SEMICOLONS,
      "20251222213451_pretty_mockingbird/snapshot.json": "{}",
      "20251222212715_windy_celestials/migration.sql": USERS,
      "20251222212715_windy_celestials/snapshot.json": "{}",
    });
    const set = await discoverMigrations(dir);
    expect(set).toMatchObject({ layout: "drizzle-kit", notices: [] });
    expect(set.migrations.map((m) => [m.version, m.name])).toEqual([
      ["20251222212715", "windy_celestials"],
      ["20251222213451", "pretty_mockingbird"],
    ]);
    const { summary, findings } = JSON.parse((await cli(["lint", dir, "--format", "json"])).stdout);
    expect(summary).toMatchObject({ files: 2, statements: 4 });
    expect(findings.map((f: { rule: string }) => f.rule)).not.toContain("syntax-error");
    const error = await newMigration({ name: "x", dir }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      "new: drizzle-kit 1.0 migration folders carry a snapshot of the schema: run drizzle-kit generate --custom --name <name>",
    );
  });

  it("reads a lone file with breakpoints as drizzle-kit", () => {
    const m = readMigrationFile("drizzle/0001_add_title.sql", NO_SEMICOLONS);
    expect(m).toMatchObject({ layout: "drizzle-kit", version: "0001", name: "add_title" });
    expect(m.file.upText).toHaveLength(NO_SEMICOLONS.length);
  });

  it("new writes the next file and its journal entry, and a snapshot as drizzle-kit generate --custom does", async () => {
    const dir = migrationDir({
      "0000_init.sql": USERS,
      "meta/_journal.json": journal(["0000_init"]),
      "meta/0000_snapshot.json": JSON.stringify({ id: "a1", prevId: "00", tables: { users: {} } }, null, 2),
    });
    const now = new Date("2026-12-04T02:30:15Z");
    const result = await newMigration({ name: "add title", dir, now });
    expect(result.files).toEqual([
      join(dir, "0001_add_title.sql"),
      join(dir, "meta/_journal.json"),
      join(dir, "meta/0001_snapshot.json"),
    ]);
    const written = JSON.parse(await readFile(join(dir, "meta/_journal.json"), "utf8"));
    expect(written.entries[1]).toEqual({
      idx: 1,
      version: "7",
      when: now.getTime(),
      tag: "0001_add_title",
      breakpoints: true,
    });
    const snapshot = JSON.parse(await readFile(join(dir, "meta/0001_snapshot.json"), "utf8"));
    expect(snapshot).toMatchObject({ prevId: "a1", tables: { users: {} } });
    expect(snapshot.id).not.toBe("a1");
    const set = await discoverMigrations(dir);
    expect(set.migrations.map((m) => m.version)).toEqual(["0000", "0001"]);
    expect(set.notices).toEqual([]);
  });

  it("new refuses a snapshot that is not JSON, naming it, and writes nothing", async () => {
    const before = journal(["0000_init"]);
    const dir = migrationDir({
      "0000_init.sql": USERS,
      "meta/_journal.json": before,
      "meta/0000_snapshot.json": "{ broken",
    });
    const error = await newMigration({ name: "add title", dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/meta\/0000_snapshot\.json: not valid JSON \(/);
    expect(await readFile(join(dir, "meta/_journal.json"), "utf8")).toBe(before);
    expect(existsSync(join(dir, "0001_add_title.sql"))).toBe(false);
  });

  it("new starts a journal in an empty directory with --layout drizzle-kit", async () => {
    const dir = migrationDir({});
    const result = await newMigration({ name: "init", dir, layout: "drizzle-kit" });
    expect(result).toMatchObject({ layout: "drizzle-kit", version: "0000" });
    const set = await discoverMigrations(dir);
    expect(set).toMatchObject({ layout: "drizzle-kit", notices: [] });
    expect(set.migrations.map((m) => m.name)).toEqual(["init"]);
  });
});
