/** Every migration directory layout runs: the up part only, in the tool's order, its opt-outs honoured. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { cli, migrationDir } from "./helpers.js";

const LAYOUTS: Record<string, Record<string, string>> = {
  // plain, with a dash after the version as supabase storage names its files
  "supabase-storage": {
    "0001-a.sql": "CREATE TABLE supabase_a (id int);",
    "0002-b.sql": "CREATE TABLE supabase_b (id int);",
  },
  goose: {
    "20240101120000_a.sql":
      "-- +goose Up\nCREATE TABLE goose_a (id int);\n-- +goose Down\nDROP TABLE goose_a;\n",
    "20240101120001_b.sql":
      "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY goose_a_id ON goose_a (id);\nCREATE TABLE goose_b (id int);\n-- +goose Down\nDROP TABLE goose_a;\n",
  },
  dbmate: {
    "20240101120000_a.sql":
      "-- migrate:up\nCREATE TABLE dbmate_a (id int);\n\n-- migrate:down\nDROP TABLE dbmate_a;\n",
    "20240101120001_b.sql":
      "-- migrate:up transaction:false\nCREATE TABLE dbmate_b (id int);\n-- migrate:down\nDROP TABLE dbmate_a;\n",
  },
  "golang-migrate": {
    "1_a.up.sql": "CREATE TABLE golang_a (id int);",
    "1_a.down.sql": "DROP TABLE golang_a;",
    "2_b.up.sql": "CREATE TABLE golang_b (id int);",
    "2_b.down.sql": "DROP TABLE golang_a;",
  },
  flyway: {
    "V1__a.sql": "CREATE TABLE flyway_a (id int);",
    "V1.1__b.sql": "CREATE TABLE flyway_b (id int);",
  },
  prisma: {
    "migration_lock.toml": 'provider = "postgresql"\n',
    "20240101120000_a/migration.sql": "CREATE TABLE prisma_a (id int);",
    "20240101120001_b/migration.sql": "CREATE TABLE prisma_b (id int);",
  },
  pop: {
    "20240101120000_a.postgres.up.sql": "CREATE TABLE pop_a (id int);",
    "20240101120000_a.postgres.down.sql": "DROP TABLE pop_a;",
    "20240101120001_b.postgres.up.sql": "CREATE TABLE pop_b (id int);",
    "20240101120001_b.mysql.up.sql": "CREATE TABLE pop_mysql (id int);",
  },
  diesel: {
    "2024-01-01-120000_a/up.sql": "CREATE TABLE diesel_a (id int);",
    "2024-01-01-120000_a/down.sql": "DROP TABLE diesel_a;",
    "2024-01-01-120001_b/up.sql":
      "CREATE INDEX CONCURRENTLY diesel_a_id ON diesel_a (id);\nCREATE TABLE diesel_b (id int);",
    "2024-01-01-120001_b/metadata.toml": "run_in_transaction = false\n",
  },
};

describe.each(testMajors())("layouts on Postgres %s", (major) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(major);
  });
  afterAll(() => db?.drop());

  it.each(Object.keys(LAYOUTS))("runs a %s directory", async (layout) => {
    const dir = migrationDir(LAYOUTS[layout] as Record<string, string>);
    const prefix = layout.split("-")[0] as string;
    const result = await cli(["up", dir, "--history-schema", `h_${prefix}`], db.url);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const tables =
      await db.sql`SELECT relname FROM pg_class WHERE relname LIKE ${`${prefix}\\_%`} AND relkind = 'r' ORDER BY 1`;
    expect(tables.map((t) => t.relname)).toEqual([`${prefix}_a`, `${prefix}_b`]);
    const status = await cli(["status", dir, "--format", "json", "--history-schema", `h_${prefix}`], db.url);
    const states = JSON.parse(status.stdout).migrations.map((m: { state: string }) => m.state);
    expect(states).toEqual(["complete", "complete"]);
  });
});
