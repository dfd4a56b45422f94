/**
 * The drizzle-kit, node-pg-migrate and graphile-migrate layouts on real Postgres: `up` runs the up part in
 * the tool's order (statements split as the tool splits them), `plan` traces it, `rollback` runs the down
 * part the tool keeps (or the rollback section), and the migration is pending again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drizzleJournal, graphileCommitted } from "../support/layout-fixtures.js";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { cli, migrationDir } from "./helpers.js";

interface LayoutCase {
  files: Record<string, string>;
  /** The versions in the tool's order. */
  versions: string[];
  /** The table the newest migration creates, gone after `rollback`. */
  rolledBack: string;
}

const CASES: Record<string, LayoutCase> = {
  "drizzle-kit": {
    files: {
      "0000_init.sql":
        'CREATE TABLE "drizzle_a" (\n\t"id" serial PRIMARY KEY NOT NULL\n);\n--> statement-breakpoint\nCREATE TABLE "drizzle_b" (\n\t"a_id" integer\n)\n',
      // The journal runs 0002 before 0001.
      "0002_index.sql": 'CREATE INDEX "drizzle_b_a_id_idx" ON "drizzle_b" ("a_id")\n',
      "0001_c.sql":
        '-- safemigrate:expand\nCREATE TABLE "drizzle_c" ("id" integer)\n--> statement-breakpoint\nALTER TABLE "drizzle_c" ADD COLUMN "note" text;\n\n-- safemigrate:rollback\nDROP TABLE "drizzle_c";\n',
      "meta/_journal.json": drizzleJournal(["0000_init", "0002_index", "0001_c"]),
    },
    versions: ["0000", "0002", "0001"],
    rolledBack: "drizzle_c",
  },
  "node-pg-migrate": {
    files: {
      "1700000000000_a.sql":
        '-- Up Migration\nCREATE TABLE "npm_a" ("id" bigint PRIMARY KEY, "email" text);\n\n-- Down Migration\nDROP TABLE "npm_a";\n',
      // UTC prefix, a millisecond later: runs second.
      "20231114221320001_b.sql":
        '-- no transaction\n-- Up Migration\nCREATE INDEX CONCURRENTLY "npm_a_email_idx" ON "npm_a" ("email");\nCREATE TABLE "npm_b" ("id" int);\n-- Down Migration\nDROP TABLE "npm_b";\nDROP INDEX CONCURRENTLY "npm_a_email_idx";\n',
    },
    versions: ["1700000000000", "20231114221320001"],
    rolledBack: "npm_b",
  },
  "graphile-migrate": {
    files: {
      ...graphileCommitted([
        ["000001.sql", 'create table "graphile_a" ("id" serial primary key, "email" text);', "a"],
        [
          "000002-index.sql",
          '--! no-transaction\ncreate index concurrently "graphile_a_email_idx" on "graphile_a" ("email");',
        ],
        [
          "000003.sql",
          '-- safemigrate:expand\ncreate table "graphile_b" ("id" int);\n\n-- safemigrate:rollback\ndrop table "graphile_b";',
        ],
      ]),
      "current.sql": "-- Enter migration here\n",
    },
    versions: ["000001", "000002", "000003"],
    rolledBack: "graphile_b",
  },
};

describe.each(testMajors())("drizzle-kit, node-pg-migrate and graphile-migrate on Postgres %s", (major) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(major);
  });
  afterAll(() => db?.drop());

  const tables = async (prefix: string) =>
    (
      await db.sql`SELECT relname FROM pg_class WHERE relname LIKE ${`${prefix}\\_%`} AND relkind = 'r' ORDER BY 1`
    ).map((t) => t.relname);

  it.each(Object.keys(CASES))("plans, runs and rolls back a %s directory", async (layout) => {
    const { files, versions, rolledBack } = CASES[layout] as LayoutCase;
    const dir = migrationDir(files);
    const prefix = rolledBack.split("_")[0] as string;
    const history = ["--history-schema", `h_${prefix}`];

    const plan = await cli(["plan", dir, "--format", "json"]);
    expect(plan.stderr).toBe("");
    const planned = JSON.parse(plan.stdout).migrations;
    expect(planned.map((m: { version: string }) => m.version)).toEqual(versions);
    expect(planned.every((m: { steps: Array<{ traced: boolean }> }) => m.steps.every((s) => s.traced))).toBe(
      true,
    );

    const up = await cli(["up", dir, ...history], db.url);
    expect(up.stderr).toBe("");
    expect(up.code).toBe(0);
    const created = await tables(prefix);
    expect(created).toContain(rolledBack);
    const status = async () =>
      JSON.parse((await cli(["status", dir, "--format", "json", ...history], db.url)).stdout).migrations.map(
        (m: { version: string; state: string }) => `${m.version}:${m.state}`,
      );
    expect(await status()).toEqual(versions.map((v) => `${v}:complete`));

    const rollback = await cli(["rollback", dir, ...history], db.url);
    expect(rollback.stderr).toBe("");
    expect(rollback.code).toBe(0);
    expect(await tables(prefix)).toEqual(created.filter((t) => t !== rolledBack));
    expect((await status()).at(-1)).toBe(`${versions.at(-1)}:pending`);
  });

  it.each([
    [
      "node-pg-migrate",
      {
        "1700000000000_items.sql":
          '-- Up Migration\nCREATE TABLE "r_npm" ("id" int PRIMARY KEY);\n-- Down Migration\nDROP TABLE "r_npm";\n',
      },
      "r_npm",
    ],
    [
      "drizzle-kit",
      {
        "0000_items.sql": 'CREATE TABLE "r_drizzle" ("id" int PRIMARY KEY);\n',
        "meta/_journal.json": drizzleJournal(["0000_items"]),
      },
      "r_drizzle",
    ],
  ])(
    "writes a recipe with new in a %s directory that up runs and rollback undoes",
    async (_layout, files, table) => {
      const dir = migrationDir(files);
      const history = ["--history-schema", `h_${table}`];
      const created = await cli([
        "new",
        "add token",
        dir,
        "--add-column",
        `${table}.token`,
        "uuid",
        "--default",
        "gen_random_uuid()",
      ]);
      expect(created.stderr).toBe("");
      expect(created.code).toBe(0);
      const up = await cli(["up", dir, ...history], db.url);
      expect(up.stderr).toBe("");
      expect(up.code).toBe(0);
      const columns = async () =>
        (
          await db.sql`SELECT attname FROM pg_attribute WHERE attrelid = ${table}::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`
        ).map((c) => c.attname);
      expect(await columns()).toEqual(["id", "token"]);
      const rollback = await cli(["rollback", dir, ...history], db.url);
      expect(rollback.stderr).toBe("");
      expect(rollback.code).toBe(0);
      expect(await columns()).toEqual(["id"]);
    },
  );

  it("runs drizzle-kit migrations one by one: a failing one stops there, the ones before it stay applied", async () => {
    // drizzle's own migrator would roll all three back (one transaction); safemigrate records each.
    const dir = migrationDir({
      "0000_a.sql": 'CREATE TABLE "fail_a" ("id" int);\n',
      "0001_b.sql":
        'CREATE TABLE "fail_b" ("id" int);\n--> statement-breakpoint\nALTER TABLE "fail_missing" ADD COLUMN "x" int;\n',
      "0002_c.sql": 'CREATE TABLE "fail_c" ("id" int);\n',
      "meta/_journal.json": drizzleJournal(["0000_a", "0001_b", "0002_c"]),
    });
    const history = ["--history-schema", "h_fail"];
    const up = await cli(["up", dir, ...history], db.url);
    expect(up.code).toBe(1);
    expect(up.stderr).toMatch(/fail_missing/);
    expect(await tables("fail")).toEqual(["fail_a"]);
    const status = JSON.parse((await cli(["status", dir, "--format", "json", ...history], db.url)).stdout);
    expect(status.migrations.map((m: { state: string }) => m.state)).toEqual([
      "complete",
      "failed",
      "pending",
    ]);
  });
});
