/**
 * What the compat rules of new hazards claim running code sees, checked on a real server: the old
 * application, connected as a role that is not the table owner, runs its queries after the migration
 * statement commits. Each claim is asserted together with the rule's finding on the same statement.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findingsOf } from "../support/lint.js";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";

describe.each(testMajors())("running code after the change, on Postgres %s", (major) => {
  let db: TestDatabase;
  let app: postgres.Sql;
  const role = `sm_app_${randomBytes(4).toString("hex")}`;

  beforeAll(async () => {
    db = await createTestDatabase(major);
    await db.sql.unsafe(`CREATE ROLE ${role} LOGIN PASSWORD 'app'`);
    const url = new URL(db.url);
    url.username = role;
    url.password = "app";
    app = postgres(url.toString(), { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await app?.end();
    await db?.sql.unsafe(`DROP OWNED BY ${role}; DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public`);
    await db?.sql.unsafe(`DROP ROLE IF EXISTS ${role}`);
    await db?.drop();
  });

  /** A fresh table `t` with rows that the application role may read and write. */
  async function table(name: string): Promise<void> {
    await db.sql.unsafe(`CREATE TABLE ${name} (id int, label text)`);
    await db.sql.unsafe(`INSERT INTO ${name} SELECT g, 'x' FROM generate_series(1, 3) g`);
    await db.sql.unsafe(`GRANT SELECT, INSERT ON ${name} TO ${role}`);
  }

  it("ENABLE ROW LEVEL SECURITY without a policy: the application sees no rows and cannot insert", async () => {
    await table("rls");
    const sql = "ALTER TABLE rls ENABLE ROW LEVEL SECURITY";
    expect(findingsOf("enable-rls-without-policy", [`CREATE TABLE rls (id int);`, `${sql};`])).toHaveLength(
      1,
    );
    expect(await app`SELECT count(*)::int AS n FROM rls`).toEqual([{ n: 3 }]);
    await db.sql.unsafe(sql);
    expect(await app`SELECT count(*)::int AS n FROM rls`).toEqual([{ n: 0 }]);
    await expect(app`INSERT INTO rls VALUES (4, 'y')`).rejects.toMatchObject({ code: "42501" });
    // The owner is not subject to it: the rows are still there.
    expect(await db.sql`SELECT count(*)::int AS n FROM rls`).toEqual([{ n: 3 }]);
  });

  it("REVOKE: the application's query fails with permission denied", async () => {
    await table("rev");
    const sql = `REVOKE SELECT ON rev FROM ${role}`;
    expect(findingsOf("revoke-privilege", [`CREATE TABLE rev (id int);`, `${sql};`])).toHaveLength(1);
    await db.sql.unsafe(sql);
    await expect(app`SELECT count(*) FROM rev`).rejects.toMatchObject({ code: "42501" });
  });

  it("RENAME VALUE: writing the old label fails", async () => {
    await db.sql.unsafe("CREATE TYPE mood AS ENUM ('sad', 'happy')");
    await db.sql.unsafe(`CREATE TABLE moods (m mood); GRANT SELECT, INSERT ON moods TO ${role}`);
    const sql = "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue'";
    expect(
      findingsOf("rename-enum-value", ["CREATE TYPE mood AS ENUM ('sad', 'happy');", `${sql};`]),
    ).toHaveLength(1);
    await db.sql.unsafe(sql);
    await expect(app`INSERT INTO moods VALUES ('sad')`).rejects.toMatchObject({ code: "22P02" });
  });

  it("INHERIT / NO INHERIT: queries of the parent see the child's rows appear and go", async () => {
    await table("parent");
    await table("child");
    const count = async () => (await app`SELECT count(*)::int AS n FROM parent`)[0]?.n;
    expect(
      findingsOf("inheritance-change", ["CREATE TABLE child (id int);", "ALTER TABLE child INHERIT parent;"]),
    ).toHaveLength(1);
    expect(await count()).toBe(3);
    await db.sql.unsafe("ALTER TABLE child INHERIT parent");
    expect(await count()).toBe(6);
    await db.sql.unsafe("ALTER TABLE child NO INHERIT parent");
    expect(await count()).toBe(3);
  });
});
