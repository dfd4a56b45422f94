import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readDuringTransaction } from "../../../test/model/reader.js";
import { findingsOf } from "../../../test/support/lint.js";
import { createTestDatabase, type TestDatabase, testMajors } from "../../../test/support/postgres.js";

const rule = "drop-table";
const view = "CREATE VIEW active_users AS SELECT id FROM users WHERE active;";
const base = `CREATE TABLE users (id bigint, active boolean);\n${view}\nCREATE MATERIALIZED VIEW user_counts AS SELECT active, count(*) FROM users GROUP BY active;`;

describe(rule, () => {
  it.each([
    ["DROP TABLE", "DROP TABLE users;"],
    ["DROP VIEW", "DROP VIEW active_users;"],
    ["DROP MATERIALIZED VIEW", "DROP MATERIALIZED VIEW user_stats;"],
    ["DROP SCHEMA", "DROP SCHEMA legacy CASCADE;"],
    ["DROP TYPE", "DROP TYPE mood;"],
    ["DROP DOMAIN", "DROP DOMAIN email;"],
    ["DROP SEQUENCE", "DROP SEQUENCE order_numbers;"],
    ["several tables, multi-line", "DROP TABLE IF EXISTS\n  users,\n  orders\n  CASCADE;"],
  ])("fires on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toHaveLength(1);
  });

  it("fires on a table created by an earlier migration, naming it", () => {
    const findings = findingsOf(rule, ["CREATE TABLE users (id bigint);", "SELECT 1;\nDROP TABLE users;"]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: "0002_test.sql", line: 2, column: 1 });
    expect(findings[0]?.message).toBe(
      "dropping table users in the expand phase breaks the running application version, which still uses it",
    );
  });

  it.each([
    ["a table created again (it is empty)", "DROP TABLE users;\nCREATE TABLE users (id bigint);"],
    ["a sequence created again (it starts over)", "DROP SEQUENCE s;\nCREATE SEQUENCE s;"],
    ["a schema created again (its objects are gone)", "DROP SCHEMA app CASCADE;\nCREATE SCHEMA app;"],
    [
      "a view created again after a commit",
      `BEGIN;\nDROP VIEW active_users;\nCOMMIT;\nBEGIN;\n${view}\nCOMMIT;`,
    ],
    [
      "a view created again in a file run statement by statement",
      `-- safemigrate:no-transaction\nDROP VIEW active_users;\n${view}`,
    ],
    [
      "a view created again after an index build that up runs on its own",
      `DROP VIEW active_users;\nCREATE INDEX users_active ON users (active);\n${view}`,
    ],
    [
      "a view created again as a materialized view",
      "DROP VIEW active_users;\nCREATE MATERIALIZED VIEW active_users AS SELECT 1;",
    ],
    [
      "a materialized view created again WITH NO DATA (unreadable until refreshed)",
      "DROP MATERIALIZED VIEW stats;\nCREATE MATERIALIZED VIEW stats AS SELECT 1 WITH NO DATA;",
    ],
    [
      "a type dropped with CASCADE (its columns go too)",
      "DROP TYPE mood CASCADE;\nCREATE TYPE mood AS ENUM ('ok');",
    ],
    ["a type created again as a domain", "DROP TYPE mood;\nCREATE DOMAIN mood AS text;"],
    [
      "a view created again without a column it had",
      "DROP VIEW active_users;\nCREATE VIEW active_users AS SELECT name FROM users WHERE active;",
    ],
    [
      "a materialized view created again without a column it had",
      "DROP MATERIALIZED VIEW user_counts;\nCREATE MATERIALIZED VIEW user_counts (total) AS SELECT count(*) FROM users;",
    ],
    [
      "a view created again and dropped once more",
      `DROP VIEW active_users;\n${view}\nDROP VIEW active_users;`,
    ],
    [
      "a composite type created again (a query that waited for it fails)",
      "DROP TYPE pair;\nCREATE TYPE pair AS (a numeric, b numeric);",
    ],
  ])("fires on %s", (_name, sql) => {
    expect(findingsOf(rule, [base, sql])).toHaveLength(1);
  });

  it("fires on the view dropped in one migration and created in the next", () => {
    expect(findingsOf(rule, [base, "DROP VIEW active_users;", view])).toHaveLength(1);
  });

  it("names the views a DROP TABLE ... CASCADE drops with the table", () => {
    const [finding] = findingsOf(rule, [base, "DROP TABLE users CASCADE;"]);
    expect(finding?.message).toBe(
      "dropping table users (and, through CASCADE, views active_users, user_counts) in the expand phase breaks the running application version, which still uses it",
    );
  });

  it("names only the objects that are not created again", () => {
    const [finding] = findingsOf(rule, [
      `${base}\nCREATE VIEW admins AS SELECT 1;`,
      `DROP VIEW active_users, admins;\n${view}`,
    ]);
    expect(finding?.message).toBe(
      "dropping view admins in the expand phase breaks the running application version, which still uses it",
    );
  });

  it("names the views a CASCADE drops with it that are not created again", () => {
    const dependent = "CREATE VIEW active_ids AS SELECT id FROM active_users;";
    const [finding] = findingsOf(rule, [`${base}\n${dependent}`, `DROP VIEW active_users CASCADE;\n${view}`]);
    expect(finding?.message).toBe(
      "dropping view active_users with CASCADE also drops view active_ids, not created again; in the expand phase that breaks the running application version, which still uses it",
    );
    expect(
      findingsOf(rule, [`${base}\n${dependent}`, `DROP VIEW active_users CASCADE;\n${view}\n${dependent}`]),
    ).toEqual([]);
  });

  it.each([
    ["the contract section", "-- safemigrate:contract\nDROP TABLE users;"],
    ["a table created in the same migration", "CREATE TABLE tmp (id bigint);\nDROP TABLE tmp;"],
    ["a type created in the same migration", "CREATE TYPE mood AS ENUM ('ok');\nDROP TYPE mood;"],
    ["a schema created in the same migration", "CREATE SCHEMA scratch;\nDROP SCHEMA scratch CASCADE;"],
    ["DROP INDEX (another rule)", "DROP INDEX users_email_idx;"],
    ["DROP FUNCTION (drop-function)", "DROP FUNCTION touch_updated_at();"],
    ["ignored by directive", "-- safemigrate:ignore drop-table -- unused since v3\nDROP TABLE\n  old_users;"],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });

  it.each([
    ["a view created again in the same transaction", `DROP VIEW active_users;\n${view}`],
    [
      "multi-line, IF EXISTS, CREATE OR REPLACE, other statements between",
      "DROP VIEW IF EXISTS\n  active_users;\nALTER TABLE users ADD COLUMN name text;\nCREATE OR REPLACE VIEW active_users AS\n  SELECT id, name FROM users WHERE active;",
    ],
    ["inside BEGIN ... COMMIT", `BEGIN;\nDROP VIEW active_users;\n${view}\nCOMMIT;`],
    [
      "a view created again with its columns renamed back by a column list",
      "DROP VIEW active_users;\nCREATE VIEW active_users (id) AS SELECT users.id + 0 FROM users;",
    ],
    [
      "a view created again with columns that cannot be read from the SQL",
      "DROP VIEW active_users;\nCREATE VIEW active_users AS SELECT * FROM users;",
    ],
    [
      "a materialized view created again with the same columns",
      "DROP MATERIALIZED VIEW user_counts;\nCREATE MATERIALIZED VIEW user_counts AS SELECT active, count(*) FROM users GROUP BY 1;",
    ],
    [
      "a materialized view created again, then its index",
      "DROP MATERIALIZED VIEW stats;\nCREATE MATERIALIZED VIEW stats AS SELECT 1 AS n;\nCREATE UNIQUE INDEX stats_n ON stats (n);",
    ],
    ["a range type created again", "DROP TYPE span;\nCREATE TYPE span AS RANGE (subtype = float8);"],
    ["an enum created again", "DROP TYPE mood;\nCREATE TYPE mood AS ENUM ('ok', 'meh');"],
    ["a domain created again", "DROP DOMAIN email;\nCREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');"],
    [
      "a view in the expand section of a file with phase markers",
      `-- safemigrate:expand\nDROP VIEW active_users;\n${view}`,
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, [base, sql])).toEqual([]);
    expect(findingsOf("contract-in-expand", [base, sql])).toEqual([]);
  });

  it("does not fire on a view created again in a file the tool runs in one transaction", () => {
    const options = { runsInTransaction: true };
    expect(findingsOf(rule, [base, `DROP VIEW active_users;\n${view}`], options)).toEqual([]);
  });

  describe.each(testMajors())("on Postgres %s", (major) => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase(major);
    });
    afterAll(() => db.drop());
    beforeEach(async () => {
      await db.sql.unsafe(
        "DROP SCHEMA public CASCADE; CREATE SCHEMA public;" +
          "CREATE TABLE users (id bigint, active boolean); INSERT INTO users VALUES (1, true), (2, false);" +
          `${view} CREATE MATERIALIZED VIEW stats AS SELECT count(*) AS n FROM users;` +
          "CREATE TYPE pair AS (a numeric, b numeric); CREATE TYPE mood AS ENUM ('ok');" +
          "CREATE DOMAIN email AS text; CREATE TYPE span AS RANGE (subtype = float8);",
      );
    });

    // A view's reader waits for the DROP's lock, then reads the new view; a type's reader uses the old one.
    it.each([
      ["a view", "SELECT id FROM active_users", ["DROP VIEW active_users", view], true],
      [
        "a materialized view",
        "SELECT n FROM stats",
        ["DROP MATERIALIZED VIEW stats", "CREATE MATERIALIZED VIEW stats AS SELECT count(*) AS n FROM users"],
        true,
      ],
      [
        "an enum",
        "SELECT 'ok'::mood AS v",
        ["DROP TYPE mood", "CREATE TYPE mood AS ENUM ('ok', 'meh')"],
        false,
      ],
      ["a domain", "SELECT 'a@b'::email AS v", ["DROP DOMAIN email", "CREATE DOMAIN email AS text"], false],
      [
        "a range type",
        "SELECT span(1, 2) AS v",
        ["DROP TYPE span", "CREATE TYPE span AS RANGE (subtype = float8)"],
        false,
      ],
    ])(
      "a reader of %s dropped and created again in one transaction never fails",
      async (_what, query, migration, waited) => {
        const outcome = await readDuringTransaction(db.sql, migration, query);
        expect(outcome).toMatchObject({ error: null, waited });
        expect(outcome.rows).toHaveLength(1);
      },
    );

    it("a reader of a column that the view created again lacks fails once it commits", async () => {
      const outcome = await readDuringTransaction(
        db.sql,
        ["DROP VIEW active_users", "CREATE VIEW active_users AS SELECT active FROM users WHERE active"],
        "SELECT id FROM active_users",
      );
      expect(outcome).toMatchObject({ waited: true, error: 'column "id" does not exist' });
    });

    it("a reader of a composite type dropped and created again in one transaction fails", async () => {
      const outcome = await readDuringTransaction(
        db.sql,
        ["DROP TYPE pair", "CREATE TYPE pair AS (a numeric, b numeric)"],
        "SELECT (ROW(1, 2)::pair).b",
      );
      expect(outcome.error).toMatch(/could not open relation/);
    });

    it("a reader between a DROP VIEW and a CREATE VIEW in separate transactions fails", async () => {
      await db.sql.unsafe("DROP VIEW active_users");
      await expect(db.sql.unsafe("SELECT id FROM active_users")).rejects.toThrow(/does not exist/);
    });

    it("DROP VIEW ... CASCADE drops the views that read it, as the model says", async () => {
      await db.sql.unsafe("CREATE VIEW active_ids AS SELECT id FROM active_users");
      await db.sql.unsafe("DROP VIEW active_users CASCADE");
      const [row] = await db.sql`SELECT to_regclass('active_ids') AS oid`;
      expect(row?.oid).toBeNull();
    });
  });
});
