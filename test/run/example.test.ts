/**
 * migrations-example, as README's Run section shows it: `up` then `contract` on a real database, without
 * `--unsafe`: the unsafe forms of 003 and 004 run through their safe rewrites, 005 and 007 are recipes, 006 a
 * backfill directive.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { cli, REPO_ROOT } from "./helpers.js";

const databases: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(databases.map((db) => db.drop()));
});

describe.each(testMajors())("migrations-example on Postgres %s", (major) => {
  it("runs up then contract without --unsafe, and ends in the renamed, filled schema", async () => {
    const db = await createTestDatabase(major);
    databases.push(db);
    const dir = `${REPO_ROOT}/migrations-example`;
    const up = await cli(["up", dir, "--log-format", "json"], db.url);
    expect(up.code, up.stderr).toBe(0);
    // Rows written between expand and contract, by a version that still writes status and one that writes state.
    await db.sql`INSERT INTO users (email) VALUES ('ann@example.com'), ('bob@example.com')`;
    await db.sql`INSERT INTO orders (user_id, total_cents, status) SELECT id, 100, 'paid' FROM users WHERE email = 'ann@example.com'`;
    await db.sql`INSERT INTO orders (user_id, total_cents, state) SELECT id, 200, 'sent' FROM users WHERE email = 'bob@example.com'`;
    const both =
      await db.sql`SELECT status, state, public_id IS NOT NULL AS has_id FROM orders ORDER BY total_cents`;
    expect(both.map((r) => ({ ...r }))).toEqual([
      { status: "paid", state: "paid", has_id: true },
      { status: "sent", state: "sent", has_id: true },
    ]);
    const contract = await cli(["contract", dir, "--log-format", "json"], db.url);
    expect(contract.code, contract.stderr).toBe(0);
    const columns =
      await db.sql`SELECT column_name FROM information_schema.columns WHERE table_name = 'orders' ORDER BY 1`;
    expect(columns.map((c) => c.column_name)).toEqual([
      "coupon_id",
      "created_at",
      "id",
      "public_id",
      "state",
      "total_cents",
      "user_id",
    ]);
    await db.sql`INSERT INTO orders (user_id, total_cents) SELECT id, 300 FROM users WHERE email = 'ann@example.com'`;
    const [latest] = await db.sql`SELECT state FROM orders WHERE total_cents = 300`;
    expect(latest?.state).toBe("pending");
    const status = await cli(["status", dir, "--format", "json"], db.url);
    expect(status.code).toBe(0);
    expect(status.stdout).not.toContain("pending");
  });
});
