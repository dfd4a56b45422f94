import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DebugSession, debugSession } from "../../../test/support/debug-notices.js";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "constraint-missing-not-valid";

describe(rule, () => {
  it.each([
    [
      "a foreign key",
      "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);",
    ],
    ["a check constraint", "ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0);"],
    [
      "an unnamed foreign key, multi-line",
      "ALTER TABLE orders\n  ADD FOREIGN KEY (user_id)\n  REFERENCES users (id)\n  ON DELETE CASCADE;",
    ],
    [
      "an inline REFERENCES on a column with a default",
      "ALTER TABLE orders ADD COLUMN shop_id bigint DEFAULT 1 REFERENCES shops;",
    ],
    ["an inline REFERENCES on a serial column", "ALTER TABLE orders ADD COLUMN n serial REFERENCES numbers;"],
    [
      "a table created by an earlier migration",
      ["CREATE TABLE orders (total int);", "ALTER TABLE orders ADD CHECK (total > 0);"],
    ],
  ])("fires on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toHaveLength(1);
  });

  it("reports each constraint of a statement, with the locks on both tables", () => {
    const findings = findingsOf(
      rule,
      "SET lock_timeout = '1s';\nALTER TABLE orders\n  ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id),\n  ADD CONSTRAINT c CHECK (total > 0);",
    );
    expect(findings.map((f) => [f.line, f.column])).toEqual([
      [2, 1],
      [2, 1],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "foreign key fk validates every row of orders while holding a SHARE ROW EXCLUSIVE lock on orders (blocks writes) and a SHARE ROW EXCLUSIVE lock on users (blocks writes)",
      "check constraint c scans every row of orders while holding an ACCESS EXCLUSIVE lock on orders (blocks reads and writes)",
    ]);
  });

  it.each([
    [
      "a NOT VALID foreign key",
      "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;",
    ],
    ["a NOT VALID check", "ALTER TABLE orders ADD CONSTRAINT c CHECK (total > 0) NOT VALID;"],
    // Every value of a new column without a default is NULL: Postgres skips the check (verified below).
    [
      "an inline REFERENCES without a default",
      "ALTER TABLE orders ADD COLUMN shop_id bigint REFERENCES shops;",
    ],
    [
      "a table created in the same migration",
      "CREATE TABLE orders (user_id bigint, total int);\nALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users;\nALTER TABLE orders ADD CHECK (total > 0);",
    ],
    [
      "a foreign key in CREATE TABLE",
      "CREATE TABLE orders (user_id bigint REFERENCES users, CHECK (user_id > 0));",
    ],
    [
      "ignored by directive",
      "-- safemigrate:ignore constraint-missing-not-valid -- small table\nALTER TABLE orders\n  ADD CHECK (total > 0);",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });

  describe("on a real server", () => {
    let db: DebugSession;
    beforeAll(async () => {
      db = await debugSession();
      await db.run(
        "CREATE TABLE users (id int PRIMARY KEY); INSERT INTO users VALUES (1);" +
          "CREATE TABLE orders (user_id int, total int); INSERT INTO orders VALUES (1, 1);",
      );
    });
    afterAll(() => db.close());

    it.each([
      [
        "ADD CONSTRAINT FOREIGN KEY",
        "ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users",
        'validating foreign key constraint "fk"',
      ],
      ["ADD CONSTRAINT CHECK", "ADD CONSTRAINT c CHECK (total > 0)", 'verifying table "orders"'],
      [
        "inline REFERENCES with a default",
        "ADD COLUMN u2 int DEFAULT 1 REFERENCES users",
        'validating foreign key constraint "orders_u2_fkey"',
      ],
    ])("%s scans the table", async (_name, command, notice) => {
      expect(await db.run(`ALTER TABLE orders ${command}`)).toContain(notice);
    });

    it("inline REFERENCES without a default does not", async () => {
      expect(await db.run("ALTER TABLE orders ADD COLUMN u3 int REFERENCES users")).toEqual([]);
    });
  });
});
