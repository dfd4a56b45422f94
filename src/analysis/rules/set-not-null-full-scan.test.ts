import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type DebugSession, debugSession } from "../../../test/support/debug-notices.js";
import { findingsOf } from "../../../test/support/lint.js";
import { testMajors } from "../../../test/support/postgres.js";

const rule = "set-not-null-full-scan";
const addCheck = "ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;";
const validate = "ALTER TABLE users VALIDATE CONSTRAINT email_nn;";
const setNotNull = "ALTER TABLE users ALTER COLUMN email SET NOT NULL;";
/** The documented safe recipe, one step per migration. */
const recipe = [addCheck, validate, `${setNotNull}\nALTER TABLE users DROP CONSTRAINT email_nn;`];

describe(rule, () => {
  it.each([
    ["a plain SET NOT NULL", setNotNull],
    [
      "multi-line, among other commands",
      "ALTER TABLE users\n  ADD COLUMN nick text,\n  ALTER COLUMN email\n    SET NOT NULL;",
    ],
    ["a check still NOT VALID", [addCheck, setNotNull]],
    [
      "a check validated by the same ALTER TABLE statement",
      `${addCheck}\nALTER TABLE users VALIDATE CONSTRAINT email_nn, ALTER COLUMN email SET NOT NULL;`,
    ],
    [
      "a check added by the same ALTER TABLE statement",
      "ALTER TABLE users\n  ADD CONSTRAINT email_nn CHECK (email IS NOT NULL),\n  ALTER COLUMN email SET NOT NULL;",
    ],
    [
      "a check dropped again before it",
      `ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL);\nALTER TABLE users DROP CONSTRAINT email_nn;\n${setNotNull}`,
    ],
    [
      "a check on another column",
      ["ALTER TABLE users ADD CONSTRAINT n CHECK (name IS NOT NULL);", setNotNull],
    ],
    ["a table created by an earlier migration", ["CREATE TABLE users (email text);", setNotNull]],
  ])("fires on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toHaveLength(1);
  });

  it("names the column and the lock", () => {
    const [finding] = findingsOf(rule, `SET lock_timeout = '1s';\n${setNotNull}`);
    expect(finding).toMatchObject({ line: 2, column: 1 });
    expect(finding?.message).toBe(
      "SET NOT NULL on users.email scans every row while holding an ACCESS EXCLUSIVE lock on users (blocks reads and writes), because no CHECK (email IS NOT NULL) made valid by an earlier statement proves it",
    );
  });

  it.each([
    ["the recipe across three migrations", recipe],
    [
      "the recipe in one file, the check validated in an earlier explicit transaction",
      `BEGIN;\n${addCheck}\nCOMMIT;\nBEGIN;\n${validate}\nCOMMIT;\n${setNotNull}`,
    ],
    ["a check validated earlier in the same transaction", `${addCheck}\n${validate}\n${setNotNull}`],
    [
      "a check validated earlier in the same explicit transaction",
      `BEGIN;\n${addCheck}\n${validate}\n${setNotNull}\nCOMMIT;`,
    ],
    [
      "a valid check added earlier in the same transaction",
      `ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL);\n${setNotNull}`,
    ],
    [
      "a validated check added by an earlier migration",
      ["ALTER TABLE users ADD CHECK (email IS NOT NULL);", setNotNull],
    ],
    ["a table created in the same migration", `CREATE TABLE users (email text);\n${setNotNull}`],
    ["ignored by directive", `-- safemigrate:ignore set-not-null-full-scan -- 10 rows\n${setNotNull}`],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });

  it.each([
    [11, 1],
    [12, 0],
    [18, 0],
  ])("with the recipe on Postgres %i reports %i finding(s)", (pgVersion, count) => {
    const findings = findingsOf(rule, recipe, { pgVersion });
    expect(findings).toHaveLength(count);
    if (count) expect(findings[0]?.message).toMatch(/Postgres 11 cannot use a CHECK constraint/);
  });

  describe.each(testMajors())("on Postgres %s", (major) => {
    let db: DebugSession;
    beforeAll(async () => {
      db = await debugSession(major);
    });
    afterAll(() => db.close());
    beforeEach(async () => {
      await db.run(
        "DROP TABLE IF EXISTS users; CREATE TABLE users (email text, name text); INSERT INTO users VALUES ('a', 'b');",
      );
    });

    it("the recipe's SET NOT NULL does not scan; a bare one does", async () => {
      await db.run(addCheck);
      await db.run(validate);
      expect(await db.run(setNotNull)).not.toContain('verifying table "users"');
      expect(await db.run("ALTER TABLE users ALTER COLUMN name SET NOT NULL")).toContain(
        'verifying table "users"',
      );
    });

    it("skips the scan after a check validated or added earlier in the same transaction", async () => {
      expect(await db.run(`BEGIN; ${addCheck} ${validate} ${setNotNull} COMMIT;`)).toEqual([
        'verifying table "users"',
        'existing constraints on column "users.email" are sufficient to prove that it does not contain nulls',
      ]);
      expect(
        await db.run(
          "BEGIN; ALTER TABLE users ADD CHECK (name IS NOT NULL); ALTER TABLE users ALTER COLUMN name SET NOT NULL; COMMIT;",
        ),
      ).toEqual([
        'verifying table "users"',
        'existing constraints on column "users.name" are sufficient to prove that it does not contain nulls',
      ]);
    });

    it("scans when the check is validated by the same ALTER TABLE statement", async () => {
      await db.run(addCheck);
      const notices = await db.run(
        "ALTER TABLE users VALIDATE CONSTRAINT email_nn, ALTER COLUMN email SET NOT NULL",
      );
      expect(notices.filter((n) => n.startsWith("existing constraints"))).toEqual([]);
    });
  });
});
