import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestDatabase,
  lockSnapshot,
  relfilenodes,
  type TestDatabase,
  testDatabaseUrl,
  testMajors,
} from "./postgres.js";

it("has one server for each requested major", () => {
  const requested = new Set(
    (process.env.SAFEMIGRATE_TEST_PG_MAJORS || "14,18").split(",").map((m) => m.trim()),
  );
  if (!process.env.SAFEMIGRATE_TEST_DATABASE_URL) expect(new Set(testMajors())).toEqual(requested);
  const urls = testMajors().map((major) => testDatabaseUrl(major));
  expect(new Set(urls).size).toBe(urls.length);
  expect(testDatabaseUrl()).toBe(testDatabaseUrl(testMajors().at(-1)));
});

describe.each(testMajors())("test harness on Postgres %s", (major) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(major);
    await db.sql`CREATE TABLE t (a int)`;
    await db.sql`INSERT INTO t SELECT generate_series(1, 100)`;
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("connects to a fresh database on a server of that major", async () => {
    const [row] = await db.sql<{ version: string; db: string }[]>`
      SELECT current_setting('server_version_num') AS version, current_database() AS db`;
    expect(Math.floor(Number(row?.version) / 10_000)).toBe(Number(major));
    expect(row?.db).toBe(db.name);
  });

  it("lockSnapshot shows the locks a statement takes, then rolls it back", async () => {
    await db.sql`CREATE SCHEMA app`;
    await db.sql`CREATE TABLE app.u (a int)`;

    // The index it creates is named too, although only the rolled-back transaction ever saw it.
    expect(await lockSnapshot(db.sql, "CREATE INDEX ON t(a)")).toEqual([
      { relation: "t", relkind: "r", mode: "ShareLock" },
      { relation: "t_a_idx", relkind: "i", mode: "AccessExclusiveLock" },
    ]);

    expect(await lockSnapshot(db.sql, "ALTER TABLE app.u ADD COLUMN b int")).toEqual([
      { relation: "app.u", relkind: "r", mode: "AccessExclusiveLock" },
    ]);
    expect(await db.sql`SELECT indexname FROM pg_indexes WHERE tablename = 't'`).toHaveLength(0);
  });

  it("relfilenodes tells a table rewrite from a catalog-only change", async () => {
    const initial = await relfilenodes(db.sql, ["t"]);

    await db.sql`ALTER TABLE t ADD COLUMN b int`;
    expect(await relfilenodes(db.sql, ["t"])).toEqual(initial);

    await db.sql`ALTER TABLE t ALTER COLUMN a TYPE bigint`;
    const rewritten = await relfilenodes(db.sql, ["t"]);
    expect(rewritten.t).toEqual(expect.any(Number));
    expect(rewritten.t).not.toBe(initial.t);

    await expect(relfilenodes(db.sql, ["no_such_table"])).rejects.toThrow(/no_such_table/);
  });
});
