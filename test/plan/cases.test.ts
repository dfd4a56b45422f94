/**
 * Plan on hand-made histories, traced on one embedded shadow: each safe rewrite, a rewrite by a volatile
 * default, extensions (loaded and missing), statements that fail on Postgres, phases.
 */
import { describe, expect, it } from "vitest";
import { entry, planFiles, USERS, useSharedShadow } from "./helpers.js";

const shadow = useSharedShadow();

describe("safe rewrites, traced", () => {
  it("builds an index CONCURRENTLY, outside a transaction, blocking nothing", async () => {
    const result = await planFiles(shadow(), [USERS, "CREATE INDEX users_email_idx ON users (email);"]);
    const [step, ...rest] = entry(result, 2).steps;
    expect(rest).toEqual([]);
    expect(step).toMatchObject({
      kind: "create-index-concurrently",
      sql: "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);",
      transaction: false,
      locks: [{ relation: "users", mode: "ShareUpdateExclusiveLock", existing: true }],
      blocks: "nothing",
      scan: true,
      rewrite: false,
      rewrittenFrom: "CREATE INDEX users_email_idx ON users (email)",
      traced: true,
      reason: null,
      created: ["users_email_idx"],
    });
  });

  it("shows what safemigrate runs: the finding the rewrite resolves is info, no missing lock_timeout", async () => {
    const sql = "CREATE INDEX users_email_idx ON users (email);";
    const findings = (options: { rewrite?: boolean } = {}) =>
      planFiles(shadow(), [USERS, sql], options).then((r) =>
        entry(r, 2).findings.map((f) => [f.rule, f.severity, f.message.split(" (runner")[0]]),
      );
    expect(await findings()).toEqual([
      ["create-index-non-concurrent", "info", "runs as CREATE INDEX CONCURRENTLY, outside a transaction"],
    ]);
    // As written, the statement blocks writes: an error still; plan/up set lock_timeout either way.
    expect((await findings({ rewrite: false })).map(([rule, severity]) => [rule, severity])).toEqual([
      ["create-index-non-concurrent", "error"],
    ]);
  });

  it("shows the statement as written with --no-rewrite (locks from pg_locks)", async () => {
    const result = await planFiles(shadow(), [USERS, "CREATE INDEX users_email_idx ON users (email);"], {
      rewrite: false,
    });
    expect(entry(result, 2).steps).toMatchObject([
      {
        sql: "CREATE INDEX users_email_idx ON users (email);",
        transaction: true,
        locks: [{ relation: "users", mode: "ShareLock" }],
        blocks: "writes",
        rewrittenFrom: null,
        traced: true,
      },
    ]);
  });

  it("adds a foreign key NOT VALID, then validates it in its own transaction", async () => {
    const sql = "ALTER TABLE users ADD CONSTRAINT users_org_fk FOREIGN KEY (org_id) REFERENCES orgs (id);";
    const [add, validate] = entry(await planFiles(shadow(), [USERS, sql]), 2).steps;
    expect(add).toMatchObject({
      sql: "ALTER TABLE users ADD CONSTRAINT users_org_fk FOREIGN KEY (org_id) REFERENCES orgs (id) NOT VALID;",
      locks: expect.arrayContaining([
        { relation: "users", mode: "ShareRowExclusiveLock", existing: true },
        { relation: "orgs", mode: "ShareRowExclusiveLock", existing: true },
      ]),
      blocks: "writes",
      scan: false,
      traced: true,
    });
    expect(validate).toMatchObject({
      sql: "ALTER TABLE users VALIDATE CONSTRAINT users_org_fk;",
      transaction: true,
      blocks: "nothing",
      scan: true,
      rewrittenFrom: sql.slice(0, -1),
      traced: true,
    });
    // Validating reads the referenced table under ROW SHARE.
    expect(validate?.locks).toEqual(
      expect.arrayContaining([
        { relation: "users", mode: "ShareUpdateExclusiveLock", existing: true },
        { relation: "orgs", mode: "RowShareLock", existing: true },
      ]),
    );
    expect(validate?.disagreements).toEqual([]);
  });

  it("adds a CHECK NOT VALID, then validates it", async () => {
    const sql = "ALTER TABLE users ADD CONSTRAINT users_id_positive CHECK (id > 0);";
    const steps = entry(await planFiles(shadow(), [USERS, sql]), 2).steps;
    expect(steps.map((s) => [s.sql, s.blocks, s.scan, s.traced])).toEqual([
      [
        "ALTER TABLE users ADD CONSTRAINT users_id_positive CHECK (id > 0) NOT VALID;",
        "reads+writes",
        false,
        true,
      ],
      ["ALTER TABLE users VALIDATE CONSTRAINT users_id_positive;", "nothing", true, true],
    ]);
  });

  it("sets NOT NULL through a validated CHECK, so that SET NOT NULL does not scan", async () => {
    const sql = "ALTER TABLE users ALTER COLUMN email SET NOT NULL;";
    const steps = entry(await planFiles(shadow(), [USERS, sql]), 2).steps;
    expect(steps.map((s) => s.sql)).toEqual([
      "ALTER TABLE users ADD CONSTRAINT users_email_sm_not_null CHECK (email IS NOT NULL) NOT VALID;",
      "ALTER TABLE users VALIDATE CONSTRAINT users_email_sm_not_null;",
      "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\nALTER TABLE users DROP CONSTRAINT users_email_sm_not_null RESTRICT;",
    ]);
    expect(steps.map((s) => [s.blocks, s.scan, s.traced])).toEqual([
      ["reads+writes", false, true],
      ["nothing", true, true],
      ["reads+writes", false, true],
    ]);
    expect(steps.every((s) => s.rewrittenFrom === sql.slice(0, -1))).toBe(true);
  });

  it("adds a UNIQUE constraint through an index built CONCURRENTLY", async () => {
    const sql = "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);";
    const steps = entry(await planFiles(shadow(), [USERS, sql]), 2).steps;
    expect(steps.map((s) => [s.sql, s.transaction, s.blocks, s.traced])).toEqual([
      ["CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);", false, "nothing", true],
      [
        "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;",
        true,
        "reads+writes",
        true,
      ],
    ]);
  });

  it("drops an index CONCURRENTLY", async () => {
    const result = await planFiles(shadow(), [
      `${USERS}\nCREATE INDEX users_email_idx ON users (email);`,
      "DROP INDEX users_email_idx;",
    ]);
    expect(entry(result, 2).steps).toMatchObject([
      {
        sql: "DROP INDEX CONCURRENTLY users_email_idx;",
        transaction: false,
        blocks: "nothing",
        traced: true,
        dropped: ["users_email_idx"],
      },
    ]);
  });
});

describe("rewrites", () => {
  it("traces the table rewrite of a volatile default", async () => {
    const sql = "ALTER TABLE users ADD COLUMN public_id uuid DEFAULT gen_random_uuid();";
    const result = await planFiles(shadow(), [USERS, sql]);
    const m = entry(result, 2);
    expect(m.steps).toMatchObject([
      {
        locks: [{ relation: "users", mode: "AccessExclusiveLock", existing: true }],
        blocks: "reads+writes",
        rewrite: true,
        traced: true,
        disagreements: [],
      },
    ]);
    expect(m.findings.map((f) => f.rule)).toContain("add-column-rewrite");
  });

  it("does not rewrite for a constant default", async () => {
    const result = await planFiles(shadow(), [
      USERS,
      "ALTER TABLE users ADD COLUMN plan text DEFAULT 'free';",
    ]);
    expect(entry(result, 2).steps[0]).toMatchObject({ rewrite: false, traced: true, disagreements: [] });
  });

  it("assumes a user function default is volatile (it is unless declared otherwise); the trace agrees", async () => {
    const result = await planFiles(shadow(), [
      `${USERS}\nCREATE FUNCTION new_token() RETURNS text LANGUAGE sql AS $$ SELECT md5(random()::text) $$;`,
      "ALTER TABLE users ADD COLUMN token text DEFAULT new_token();",
    ]);
    const [step] = entry(result, 2).steps;
    expect(step?.rewrite).toBe(true);
    expect(step?.disagreements).toEqual([]);
  });

  it("shows the trace where the model cannot know: a SQL function Postgres inlines to a constant", async () => {
    const result = await planFiles(shadow(), [
      `${USERS}\nCREATE FUNCTION label() RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$;`,
      "ALTER TABLE users ADD COLUMN label text DEFAULT label();",
    ]);
    const [step] = entry(result, 2).steps;
    expect(step?.rewrite).toBe(false);
    expect(step?.disagreements).toEqual(["rewrite: model rewrites, trace none"]);
  });
});

describe("extensions", () => {
  it("loads contrib extensions the migrations create", async () => {
    const result = await planFiles(shadow(), [
      "CREATE EXTENSION IF NOT EXISTS citext;\nCREATE TABLE accounts (id bigint PRIMARY KEY, email citext);",
    ]);
    expect(entry(result, 1).steps.every((s) => s.traced)).toBe(true);
  });

  it("marks an extension PGlite lacks, and what depends on it, untraced without failing", async () => {
    const result = await planFiles(shadow(), [
      "CREATE EXTENSION postgis;",
      "CREATE TABLE places (id bigint PRIMARY KEY, location geometry(Point, 4326));",
      "CREATE TABLE notes (id bigint PRIMARY KEY, body text);",
    ]);
    const [extension] = entry(result, 1).steps;
    expect(extension?.traced).toBe(false);
    expect(extension?.reason).toMatch(
      /embedded shadow \(PGlite\) cannot run it: extension "postgis" is not available/,
    );
    const [places] = entry(result, 2).steps;
    expect(places?.traced).toBe(false);
    expect(places?.reason).toMatch(
      /^not traced: .*001_m1\.sql:1 could not run on the shadow; here: type "geometry"/,
    );
    // Not a finding: the schema is incomplete, the migration is not wrong.
    expect(result.migrations.flatMap((m) => m.findings).map((f) => f.rule)).not.toContain(
      "fails-on-postgres",
    );
    // Unrelated steps still run and are traced; untraced steps show the model's locks.
    expect(entry(result, 3).steps[0]?.traced).toBe(true);
    expect(places?.locks).toEqual([{ relation: "places", mode: "AccessExclusiveLock", existing: false }]);
  });
});

describe("statements that fail on Postgres", () => {
  it("reports a missing table at its file, line and column (of the statement: Postgres gives no position)", async () => {
    const result = await planFiles(shadow(), [
      USERS,
      "SELECT 1;\nALTER TABLE  accounts ADD COLUMN note text;",
    ]);
    const failure = entry(result, 2).findings.find((f) => f.rule === "fails-on-postgres");
    expect(failure).toMatchObject({
      severity: "error",
      line: 2,
      column: 1,
      message: expect.stringContaining('relation "accounts" does not exist'),
      statement: "ALTER TABLE  accounts ADD COLUMN note text",
    });
    expect(failure?.file).toMatch(/002_m2\.sql$/);
    expect(entry(result, 2).steps[0]).toMatchObject({ traced: false });
  });

  it("reports a bad cast", async () => {
    const result = await planFiles(shadow(), [
      `${USERS}\nCREATE TABLE codes (id bigint PRIMARY KEY, code text);`,
      "ALTER TABLE codes ALTER COLUMN code TYPE point;",
    ]);
    const failure = entry(result, 2).findings.find((f) => f.rule === "fails-on-postgres");
    expect(failure).toMatchObject({ line: 1, message: expect.stringContaining("cannot be cast") });
  });

  it("reports an error at Postgres's position in the statement", async () => {
    const result = await planFiles(shadow(), ["CREATE TABLE t (id int);\nALTER TABLE t ADD COLUM x int;"]);
    const failure = entry(result, 1).findings.find((f) => f.rule === "fails-on-postgres");
    // `COLUM x` reads as column COLUM of type x, so Postgres stops at `int`.
    expect(failure).toMatchObject({
      line: 2,
      column: 27,
      message: expect.stringContaining('syntax error at or near "int"'),
    });
  });
});

describe("failures after a first failure", () => {
  const FILES = [
    "CREATE TABLE a (id int);",
    "ALTER TABLE nope ADD COLUMN x int;\nCREATE TABLE b (id int);",
    "ALTER TABLE b ADD COLUMN y int;",
    "CREATE INDEX b_y_idx ON b (y);",
    "ALTER TABLE a ADD COLUMN id int;",
    "SELECT missing_function();",
    "CREATE TABLE c (id int);",
    "CREATE TABLE d (id int) PARTITION BY RANGE (nope_column);",
    "CREATE INDEX d_id_idx ON d (id);",
  ];

  it("names the first failure as the cause of the knock-ons, and reports an unrelated failure as its own error", async () => {
    const result = await planFiles(shadow(), FILES);
    const failures = result.migrations.flatMap((m) =>
      m.findings.filter((f) => f.rule === "fails-on-postgres").map((f) => f.message),
    );
    expect(failures).toEqual([
      expect.stringContaining('relation "nope" does not exist'),
      expect.stringContaining('column "id" of relation "a" already exists'),
      expect.stringContaining('column "nope_column" named in partition key does not exist'),
    ]);
    const cause = /^not traced: caused by .*002_m2\.sql:1 failing \(relation "nope" does not exist\); here: /;
    expect(entry(result, 3).steps[0]?.reason).toMatch(cause);
    expect(entry(result, 3).steps[0]?.reason).toContain('relation "b" does not exist');
    // A knock-on's relations are knock-ons in turn; a missing function may be one a failed step created.
    expect(entry(result, 4).steps.every((s) => cause.test(s.reason ?? ""))).toBe(true);
    expect(entry(result, 6).steps[0]?.reason).toMatch(cause);
    expect(entry(result, 7).steps[0]).toMatchObject({ traced: true, reason: null });
    // A knock-on of the second failure names that one, not the first.
    expect(entry(result, 9).steps[0]?.reason).toMatch(/^not traced: caused by .*008_m8\.sql:1 failing \(/);
  });

  it("honours the fails-on-postgres setting: a warning, or off", async () => {
    const warned = await planFiles(shadow(), FILES.slice(0, 2), {
      rules: { "fails-on-postgres": "warning" },
    });
    expect(entry(warned, 2).findings.find((f) => f.rule === "fails-on-postgres")?.severity).toBe("warning");
    const off = await planFiles(shadow(), FILES.slice(0, 2), { rules: { "fails-on-postgres": "off" } });
    expect(entry(off, 2).findings.map((f) => f.rule)).not.toContain("fails-on-postgres");
    // The step still did not run: the plan says so, with Postgres's message.
    expect(entry(off, 2).steps[0]).toMatchObject({
      traced: false,
      reason: expect.stringContaining('"nope"'),
    });
  });
});

describe("phases", () => {
  it("plans every expand phase before any contract phase, as up and contract run them", async () => {
    const result = await planFiles(shadow(), [
      `${USERS}\n-- safemigrate:contract\nALTER TABLE users DROP COLUMN org_id;`,
      "ALTER TABLE users ADD COLUMN name text;",
    ]);
    expect(result.migrations.map((m) => [m.version, m.phase])).toEqual([
      ["001", "expand"],
      ["002", "expand"],
      ["001", "contract"],
    ]);
    expect(entry(result, 1, "contract").steps).toMatchObject([
      { sql: "ALTER TABLE users DROP COLUMN org_id;", blocks: "reads+writes", traced: true },
    ]);
  });

  it("shows the model, with the reason, when the shadow itself fails", async () => {
    const result = await planFiles(shadow(), [USERS], {
      openShadow: async () => {
        const broken = await shadow().open();
        return { ...broken, exec: () => Promise.reject(new Error("out of memory")) };
      },
    });
    expect(result.shadow).toEqual({
      engine: "pglite",
      serverVersion: expect.any(String),
      replayed: 0,
      unavailable: "not traced: the shadow failed (out of memory)",
      replayFailures: [],
    });
    expect(entry(result, 1).steps[0]).toMatchObject({
      traced: false,
      reason: "not traced: the shadow failed (out of memory)",
      locks: [
        { relation: "users", mode: "AccessExclusiveLock", existing: false },
        { relation: "orgs", mode: "AccessExclusiveLock", existing: false },
      ],
    });
  });

  it("shows the model alone when tracing is off", async () => {
    const result = await planFiles(shadow(), [USERS, "CREATE INDEX users_email_idx ON users (email);"], {
      trace: false,
    });
    expect(result.shadow).toBeNull();
    expect(entry(result, 2).steps[0]).toMatchObject({
      traced: false,
      reason: "not traced: tracing is off",
      locks: [{ relation: "users", mode: "ShareUpdateExclusiveLock" }],
    });
  });
});
