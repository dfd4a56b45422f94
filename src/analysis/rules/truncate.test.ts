import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";
import {
  createTestDatabase,
  lockSnapshot,
  relfilenodes,
  type TestDatabase,
} from "../../../test/support/postgres.js";

const rule = "truncate";

describe(rule, () => {
  it.each([
    ["TRUNCATE", "TRUNCATE users;", "table users"],
    [
      "TRUNCATE TABLE, multi-line",
      "TRUNCATE TABLE\n  users,\n  orders\n  RESTART IDENTITY CASCADE;",
      "tables users, orders",
    ],
    ["the contract section too", "-- safemigrate:contract\nTRUNCATE users;", "table users"],
    [
      "only the existing tables of a list",
      "CREATE TABLE staging (id bigint);\nTRUNCATE staging, users;",
      "existing table users and",
    ],
  ])("fires on %s", (_name, sql, text) => {
    const findings = findingsOf(rule, sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(text);
  });

  it("fires on a table created by an earlier migration", () => {
    const findings = findingsOf(rule, [
      "CREATE TABLE users (id bigint);",
      "BEGIN;\n  TRUNCATE users;\nCOMMIT;",
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: "0002_test.sql", line: 2, column: 3, severity: "error" });
  });

  it.each([
    ["a table created in the same migration", "CREATE TABLE staging (id bigint);\nTRUNCATE staging;"],
    ["DELETE (another rule)", "DELETE FROM users;"],
    [
      "ignored by directive",
      "-- safemigrate:ignore truncate -- reloaded by the import job\nTRUNCATE\n  users;",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });

  describe("on a real server", () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase();
      await db.sql`CREATE TABLE users (id bigint)`;
      await db.sql`INSERT INTO users SELECT generate_series(1, 10)`;
    });
    afterAll(async () => {
      await db?.drop();
    });

    it("takes ACCESS EXCLUSIVE and gives the table new, empty storage", async () => {
      expect(await lockSnapshot(db.sql, "TRUNCATE users")).toContainEqual({
        relation: "users",
        relkind: "r",
        mode: "AccessExclusiveLock",
      });
      const before = await relfilenodes(db.sql, ["users"]);
      await db.sql`TRUNCATE users`;
      expect(await relfilenodes(db.sql, ["users"])).not.toEqual(before);
      expect(await db.sql`SELECT 1 FROM users`).toHaveLength(0);
    });
  });
});
