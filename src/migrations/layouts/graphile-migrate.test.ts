import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, migrationDir } from "../../../test/run/helpers.js";
import { graphileCommitted as committed } from "../../../test/support/layout-fixtures.js";
import { UsageError } from "../../errors.js";
import { newMigration } from "../../recipes/new.js";
import { initParser } from "../../sql/parse.js";
import { discoverMigrations } from "../discover.js";
import { readMigrationFile } from "../read-file.js";

const USERS = 'create table "app_user" ("id" serial primary key, "email" text not null);';
const INDEX = '--! no-transaction\ncreate index concurrently "app_user_email_idx" on "app_user" ("email");';

beforeAll(() => initParser());

describe("graphile-migrate", () => {
  it("reads committed/ of the migrations folder in number order, with its messages and opt-out", async () => {
    const dir = migrationDir({
      ...committed([
        ["000001.sql", USERS, "users"],
        ["000002-email-index.sql", INDEX],
        ["000010.sql", 'alter table "app_user" add column "name" text;'],
      ]),
      "current.sql": "-- Enter migration here\n",
      "afterReset.sql": "grant all on schema public to app;\n",
      "fixtures/users.sql": "select 1;\n",
      ".gmrc": "{}",
    });
    const set = await discoverMigrations(dir);
    expect(set.layout).toBe("graphile-migrate");
    expect(set.migrations.map((m) => [m.version, m.name])).toEqual([
      ["000001", "users"],
      ["000002", "email-index"],
      ["000010", ""],
    ]);
    expect(set.notices).toEqual([]);
    expect(set.migrations[0]?.file).toMatchObject({
      path: join(dir, "committed/000001.sql"),
      runsInTransaction: true,
      noTransaction: false,
    });
    expect(set.migrations[1]?.file).toMatchObject({ runsInTransaction: false, noTransaction: true });
  });

  it("reads a lone committed file as graphile-migrate, by its header", async () => {
    const [[path, text]] = Object.entries(committed([["000001.sql", INDEX]])) as [[string, string]];
    expect(readMigrationFile(path, text)).toMatchObject({
      layout: "graphile-migrate",
      version: "000001",
      file: { noTransaction: true, runsInTransaction: false },
    });
  });

  it("reads the committed folder given itself", async () => {
    const root = migrationDir(committed([["000001.sql", USERS]]));
    const set = await discoverMigrations(join(root, "committed"));
    expect(set).toMatchObject({ layout: "graphile-migrate", notices: [] });
    expect(set.migrations.map((m) => m.version)).toEqual(["000001"]);
  });

  it("reports what graphile-migrate would refuse: an edited body, a broken chain, a missing header", async () => {
    const files = committed([
      ["000001.sql", USERS],
      ["000002.sql", 'alter table "app_user" add column "a" text;'],
      ["000003.sql", 'alter table "app_user" add column "b" text;'],
    ]);
    files["committed/000002.sql"] = (files["committed/000002.sql"] as string).replace('"a"', '"edited"');
    files["committed/000004.sql"] = "--! Hash: sha1:00\n\nselect 1;\n";
    files["committed/000005.sql"] = "--! Previous: -\r\n--! Hash: sha1:00\r\n\r\nselect 1;\r\n";
    const set = await discoverMigrations(migrationDir(files));
    expect(
      set.notices.map((n) => [n.kind, n.file.slice(-10), n.message.replace(/sha1:\w+/g, "sha1:…")]),
    ).toEqual([
      [
        "refused-by-tool",
        "000002.sql",
        "graphile-migrate refuses it: --! Hash: does not match its text (edited after it was committed?), it is sha1:…",
      ],
      ["refused-by-tool", "000004.sql", "graphile-migrate refuses it: no --! Previous: header"],
      [
        "refused-by-tool",
        "000005.sql",
        "graphile-migrate refuses it: its line ends are CRLF (add `committed/*.sql -text` to .gitattributes)",
      ],
    ]);
    // --! AllowInvalidHash is graphile-migrate's own way to accept an edited file.
    files["committed/000002.sql"] = `--! AllowInvalidHash\n${files["committed/000002.sql"]}`;
    delete files["committed/000004.sql"];
    delete files["committed/000005.sql"];
    expect((await discoverMigrations(migrationDir(files))).notices).toEqual([]);
  });

  it("lints with the committed file's line numbers, headers included", async () => {
    const dir = migrationDir(
      committed([
        ["000001.sql", USERS],
        ["000002.sql", 'create index "app_user_email_idx" on "app_user" ("email");'],
      ]),
    );
    const { findings } = JSON.parse((await cli(["lint", dir, "--format", "json"])).stdout);
    const index = findings.find((f: { rule: string }) => f.rule === "create-index-non-concurrent");
    expect(index).toMatchObject({ file: join(dir, "committed/000002.sql"), line: 4, column: 1 });
  });

  it("new refuses: graphile-migrate signs what it commits", async () => {
    const dir = migrationDir(committed([["000001.sql", USERS]]));
    const error = await newMigration({ name: "add x", dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      "new: graphile-migrate signs each committed migration with a hash of its text: write the migration in current.sql and run graphile-migrate commit",
    );
  });
});
