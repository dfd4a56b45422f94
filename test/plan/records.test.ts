/**
 * What the trace records, per statement and per step, on the embedded shadow: the locks each statement
 * took (held to COMMIT), the relations and other catalog objects created and dropped, inside and
 * outside a transaction, and tracing that goes on after a migration drops the tracer's prepared queries.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openServerShadow } from "../../src/shadow/server.js";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { entry, planFiles, reusable, type SharedShadow, USERS, useSharedShadow } from "./helpers.js";

/** The same records on PGlite and on each real server (--shadow-url). */
const SHADOWS: Array<[string, () => () => SharedShadow]> = [
  ["the embedded shadow", useSharedShadow],
  ...testMajors().map((major): [string, () => () => SharedShadow] => [
    `Postgres ${major} (--shadow-url)`,
    () => {
      let db: TestDatabase | undefined;
      let shadow: SharedShadow | undefined;
      beforeAll(async () => {
        db = await createTestDatabase(major);
        shadow = await reusable(await openServerShadow(db.url));
      });
      afterAll(async () => {
        await shadow?.close();
        await db?.drop();
      });
      return () => shadow as SharedShadow;
    },
  ]),
];

describe.each(SHADOWS)("on %s", (_name, use) => {
  const shadow = use();

  describe("a transaction, statement by statement", () => {
    it("records the locks each statement took; the step holds them all to COMMIT", async () => {
      const result = await planFiles(shadow(), [
        USERS,
        `CREATE TABLE scratch (id int);
SELECT count(*) FROM users;
ALTER TABLE users ADD COLUMN note text;
CREATE TABLE notes (id bigint PRIMARY KEY);
DROP TABLE scratch;
DROP TABLE orgs;`,
      ]);
      const [step, ...rest] = entry(result, 2).steps;
      expect(rest).toEqual([]);
      expect(step).toMatchObject({ traced: true, transaction: true, rewrite: false });
      expect(step?.statements.map((s) => [s.sql, s.locks])).toEqual([
        ["CREATE TABLE scratch (id int);", [{ relation: "scratch", mode: "AccessExclusiveLock" }]],
        ["SELECT count(*) FROM users;", [{ relation: "users", mode: "AccessShareLock" }]],
        ["ALTER TABLE users ADD COLUMN note text;", [{ relation: "users", mode: "AccessExclusiveLock" }]],
        ["CREATE TABLE notes (id bigint PRIMARY KEY);", [{ relation: "notes", mode: "AccessExclusiveLock" }]],
        ["DROP TABLE scratch;", []],
        ["DROP TABLE orgs;", [{ relation: "orgs", mode: "AccessExclusiveLock" }]],
      ]);
      // Strongest per relation, in the order of the statements.
      expect(step?.locks).toEqual([
        { relation: "users", mode: "AccessExclusiveLock", existing: true },
        { relation: "notes", mode: "AccessExclusiveLock", existing: false },
        { relation: "orgs", mode: "AccessExclusiveLock", existing: true },
      ]);
    });

    it("records what each statement created and dropped; the step, what it left", async () => {
      const result = await planFiles(shadow(), [
        USERS,
        `CREATE TABLE scratch (id int);
CREATE TABLE notes (id bigint PRIMARY KEY);
DROP TABLE scratch;
DROP TABLE orgs;`,
      ]);
      const [step] = entry(result, 2).steps;
      expect(step?.statements.map((s) => [s.created, s.dropped])).toEqual([
        [["scratch"], []],
        [["notes", "notes_pkey"], []],
        [[], ["scratch"]],
        [[], ["orgs", "orgs_pkey"]],
      ]);
      // A table created and dropped in the same transaction is neither created nor dropped by the step.
      expect(step?.created).toEqual(["notes", "notes_pkey"]);
      expect(step?.dropped).toEqual(["orgs", "orgs_pkey"]);
      expect(step?.createdObjects).toEqual(["constraint notes_pkey on table notes"]);
      expect(step?.droppedObjects).toEqual(["constraint orgs_pkey on table orgs"]);
    });

    it("records a rewrite on the statement that made it", async () => {
      const result = await planFiles(shadow(), [
        USERS,
        "ALTER TABLE users ADD COLUMN note text;\nALTER TABLE users ALTER COLUMN note TYPE varchar(10);",
      ]);
      const [step] = entry(result, 2).steps;
      expect(step?.statements.map((s) => s.rewrites)).toEqual([[], ["users"]]);
      expect(step?.rewrite).toBe(true);
    });
  });

  describe("catalog objects", () => {
    const OBJECTS = `CREATE SCHEMA app;
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE DOMAIN positive AS int CHECK (VALUE > 0);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE users ADD CONSTRAINT users_email_check CHECK (email <> '') NOT VALID;
CREATE POLICY users_own ON users USING (true);
CREATE EXTENSION pg_trgm;
CREATE VIEW user_emails AS SELECT email FROM users;`;

    it("lists the objects each statement created, not their parts nor an extension's members", async () => {
      const result = await planFiles(shadow(), [USERS, OBJECTS]);
      const [step] = entry(result, 2).steps;
      expect(step?.statements.map((s) => s.createdObjects)).toEqual([
        ["schema app"],
        ["type mood"],
        ["type positive", "constraint positive_check"],
        ["function touch()"],
        ["trigger users_touch on table users"],
        ["constraint users_email_check on table users"],
        ["policy users_own on table users"],
        ["extension pg_trgm"],
        [],
      ]);
      expect(step?.createdObjects).toHaveLength(9);
      expect(step?.created).toEqual(["user_emails"]);
    });

    it("lists the objects a statement dropped, with what CASCADE took along", async () => {
      const result = await planFiles(shadow(), [
        USERS,
        OBJECTS,
        `DROP FUNCTION touch() CASCADE;
DROP TYPE mood;
DROP EXTENSION pg_trgm;
ALTER TABLE users DROP CONSTRAINT users_email_check;`,
      ]);
      const [step] = entry(result, 3).steps;
      expect(step?.statements.map((s) => s.droppedObjects)).toEqual([
        ["function touch()", "trigger users_touch on table users"],
        ["type mood"],
        ["extension pg_trgm"],
        ["constraint users_email_check on table users"],
      ]);
      expect(step?.createdObjects).toEqual([]);
    });

    it("finds them outside a transaction too, from the catalog before and after", async () => {
      const result = await planFiles(shadow(), [
        `${USERS}\nCREATE FUNCTION one() RETURNS int LANGUAGE sql AS 'SELECT 1';`,
        // A DO block that commits runs on its own: its drops cannot be read from locks after it commits.
        "DO $$BEGIN DROP FUNCTION one(); COMMIT; CREATE SCHEMA extra; END$$;",
      ]);
      expect(entry(result, 2).steps).toMatchObject([
        {
          transaction: false,
          traced: true,
          statements: [],
          createdObjects: ["schema extra"],
          droppedObjects: ["function one()"],
        },
      ]);
    });
  });

  describe("prepared catalog queries", () => {
    it("keeps tracing after a migration drops the session's prepared statements", async () => {
      const result = await planFiles(shadow(), [
        USERS,
        "DEALLOCATE ALL;\nALTER TABLE users ADD COLUMN note text;",
        "ALTER TABLE users ALTER COLUMN note TYPE varchar(10);\nCREATE FUNCTION two() RETURNS int LANGUAGE sql AS 'SELECT 2';",
      ]);
      expect(entry(result, 2).steps).toMatchObject([
        { traced: true, locks: [{ relation: "users", mode: "AccessExclusiveLock" }] },
      ]);
      expect(entry(result, 3).steps).toMatchObject([
        { traced: true, rewrite: true, createdObjects: ["function two()"] },
      ]);
    });
  });
});
