/**
 * Every safe rewrite keeps the meaning of the statement it replaces: each case below runs through `up` with
 * the rewrites and through `up --no-rewrite` on a second database, and the two catalogs must be equal
 * (constraint and index definitions, validity, deferral, names, nullability). The cases cover the clauses a
 * split could lose or misplace: constraint attributes after an inline REFERENCES, referential actions, MATCH
 * FULL, NO INHERIT, NULLS NOT DISTINCT / INCLUDE / WITH / USING INDEX TABLESPACE, deferrable unique and
 * primary keys, index WHERE / INCLUDE / opclass / collation / DESC, IF [NOT] EXISTS, ONLY, and quoted,
 * schema-qualified, reserved and truncated names. Where a split cannot keep the meaning (ADD COLUMN IF NOT
 * EXISTS, ALTER TABLE IF EXISTS with a unique index to build), the statement runs as written.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogSnapshot } from "../support/catalog.js";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { cli, migrationDir } from "./helpers.js";

const LONG = "a_table_name_that_is_long_enough_to_be_truncated_by_postgres_x";

const SETUP = `
CREATE SCHEMA "App Data";
CREATE TABLE community (id bigint PRIMARY KEY, code int NOT NULL, UNIQUE (id, code));
CREATE TABLE "App Data"."Post Items" ("Id" bigint, "Community Id" bigint, "order" int, body text, "user" text);
CREATE TABLE "user" (id bigint, "select" int, email text, note text);
CREATE TABLE ${LONG} (id bigint, community_reference bigint);
INSERT INTO community SELECT g, g * 10 FROM generate_series(1, 50) g;
INSERT INTO "App Data"."Post Items" SELECT g, 1 + g % 50, g, 'b' || g, 'u' || g FROM generate_series(1, 500) g;
INSERT INTO "user" SELECT g, g, 'e' || g || '@x', 'n' FROM generate_series(1, 500) g;
INSERT INTO ${LONG} SELECT g, 1 + g % 50 FROM generate_series(1, 500) g;
CREATE INDEX user_email_idx ON "user" (email);
CREATE INDEX "Post body" ON "App Data"."Post Items" (body);
`;

/** One migration per case, so that a failure names the case. */
const CASES: Array<{ name: string; sql: string; since?: number; asWritten?: true }> = [
  {
    // An inline foreign key with DEFERRABLE after it, on a column with a default (lemmy 2025-08-01-000045).
    name: "inline_deferrable",
    sql: `ALTER TABLE "App Data"."Post Items" ADD COLUMN community_ref bigint NOT NULL DEFAULT 1 REFERENCES community (id) ON UPDATE CASCADE ON DELETE CASCADE DEFERRABLE;`,
  },
  {
    name: "inline_named_attributes",
    sql: `ALTER TABLE "user" ADD COLUMN "Community" bigint DEFAULT 2 CONSTRAINT "User's community" REFERENCES community MATCH FULL ON DELETE SET NULL ON UPDATE RESTRICT DEFERRABLE INITIALLY DEFERRED;`,
  },
  {
    name: "inline_not_deferrable",
    sql: `ALTER TABLE "user" ADD COLUMN c2 bigint DEFAULT NULL UNIQUE DEFERRABLE REFERENCES community (id) NOT DEFERRABLE INITIALLY IMMEDIATE CHECK (c2 > 0);`,
  },
  {
    name: "inline_two_columns",
    sql: `ALTER TABLE "user" ADD COLUMN c3 bigint DEFAULT 3 REFERENCES community (id) INITIALLY DEFERRED, ADD COLUMN c4 int DEFAULT 30, ADD CONSTRAINT c34_fk FOREIGN KEY (c3, c4) REFERENCES community (id, code) MATCH FULL ON DELETE SET DEFAULT;`,
  },
  {
    name: "inline_long_table",
    sql: `ALTER TABLE ${LONG} ADD COLUMN community_id_for_rows bigint DEFAULT 1 REFERENCES community (id);`,
  },
  {
    name: "fk_set_null_columns",
    since: 15,
    sql: `ALTER TABLE "App Data"."Post Items" ADD CONSTRAINT "Post community" FOREIGN KEY ("Community Id") REFERENCES community (id) ON DELETE SET NULL ("Community Id") DEFERRABLE INITIALLY DEFERRED;`,
  },
  {
    name: "fk_unnamed_long",
    sql: `ALTER TABLE ONLY ${LONG} ADD FOREIGN KEY (community_reference) REFERENCES public.community (id) ON DELETE NO ACTION;`,
  },
  {
    name: "check_no_inherit",
    sql: `ALTER TABLE "App Data"."Post Items" ADD CHECK ("order" >= 0 AND "user" <> '') NO INHERIT, ADD CONSTRAINT "Body ""quoted""" CHECK (body IS NOT NULL);`,
  },
  {
    name: "check_same_default_name",
    sql: `ALTER TABLE "user" ADD CHECK (note <> ''), ADD CHECK (note <> 'x');`,
  },
  {
    name: "check_if_exists",
    sql: `ALTER TABLE IF EXISTS ONLY "user" ADD CONSTRAINT select_range CHECK ("select" = ANY (ARRAY[1, 2, 3]) OR "select" > 3);`,
  },
  {
    name: "unique_options",
    sql: `ALTER TABLE "user" ADD CONSTRAINT "user email" UNIQUE (email) INCLUDE (id) WITH (fillfactor = 70) USING INDEX TABLESPACE pg_default DEFERRABLE INITIALLY DEFERRED;`,
  },
  {
    name: "unique_nulls_not_distinct",
    since: 15,
    sql: `ALTER TABLE "App Data"."Post Items" ADD UNIQUE NULLS NOT DISTINCT ("order", "user");`,
  },
  {
    name: "primary_key_deferrable",
    sql: `ALTER TABLE "user" ADD PRIMARY KEY (id) DEFERRABLE;`,
  },
  {
    name: "primary_key_quoted",
    sql: `ALTER TABLE "App Data"."Post Items" ADD CONSTRAINT "Post PK" PRIMARY KEY ("Id") WITH (fillfactor = 90);`,
  },
  {
    name: "set_not_null",
    sql: `ALTER TABLE "App Data"."Post Items" ALTER COLUMN "Community Id" SET NOT NULL, ALTER COLUMN "user" SET NOT NULL;`,
  },
  {
    name: "indexes",
    sql: [
      `CREATE INDEX ON "App Data"."Post Items" ("order" DESC NULLS LAST, lower(body) COLLATE "C" text_pattern_ops) INCLUDE ("user") WHERE "order" > 10;`,
      `CREATE UNIQUE INDEX IF NOT EXISTS "Unique email" ON ONLY "user" USING btree (lower(email)) WITH (fillfactor = 80);`,
      `CREATE INDEX ON ${LONG} (community_reference, id);`,
      `CREATE INDEX "Hash note" ON "user" USING hash (note);`,
    ].join("\n"),
  },
  {
    // The column exists: Postgres skips it with its foreign key; a split-off ADD CONSTRAINT would not.
    name: "add_column_if_not_exists",
    asWritten: true,
    sql: `ALTER TABLE "user" ADD COLUMN IF NOT EXISTS "select" int DEFAULT 1 REFERENCES community (id);`,
  },
  {
    // The table is missing: the statements do nothing. The CHECK is still split (every piece keeps IF
    // EXISTS); the unique constraints stay as written (a CREATE INDEX for them would fail).
    name: "alter_table_if_exists_missing",
    sql: `ALTER TABLE IF EXISTS no_such_table ADD CONSTRAINT no_such_key UNIQUE (a), ADD CHECK (a > 0);
ALTER TABLE IF EXISTS no_such_table ADD PRIMARY KEY (a);`,
  },
  {
    name: "drop_and_reindex",
    sql: `DROP INDEX IF EXISTS user_email_idx, "App Data"."Post body", public.missing_idx;\nREINDEX TABLE "user";\nREINDEX INDEX "Unique email";`,
  },
];

describe.each(testMajors())("rewrites keep their meaning on Postgres %s", (major) => {
  let rewritten: TestDatabase;
  let asWritten: TestDatabase;
  const cases = CASES.filter((c) => (c.since ?? 0) <= Number(major));
  const files: Record<string, string> = { "001_setup.sql": SETUP };
  const rewrittenCases: string[] = [];
  cases.forEach((c, i) => {
    const version = String(i + 2).padStart(3, "0");
    files[`${version}_${c.name}.sql`] = c.sql;
    if (!c.asWritten) rewrittenCases.push(version);
  });
  const dir = migrationDir(files);

  beforeAll(async () => {
    [rewritten, asWritten] = await Promise.all([createTestDatabase(major), createTestDatabase(major)]);
  });
  afterAll(async () => {
    await Promise.all([rewritten?.drop(), asWritten?.drop()]);
  });

  it("each case ends in the catalog of the SQL as written, rewritten where the rewrite keeps its meaning", {
    timeout: 120_000,
  }, async () => {
    const plain = await cli(["up", dir, "--no-rewrite", "--unsafe", "--log-format", "json"], asWritten.url);
    expect(plain.events.find((e) => e.event === "error")).toBeUndefined();
    expect(plain.code).toBe(0);
    const safe = await cli(["up", dir, "--unsafe", "--log-format", "json"], rewritten.url);
    expect(safe.events.find((e) => e.event === "error")).toBeUndefined();
    expect(safe.code).toBe(0);

    const rewrittenVersions = new Set(
      safe.events.filter((e) => e.event === "step-done" && e.rewrittenFrom !== null).map((e) => e.version),
    );
    expect([...rewrittenVersions].sort()).toEqual(rewrittenCases);

    const after = await catalogSnapshot(rewritten.sql, ["safemigrate"]);
    const expected = await catalogSnapshot(asWritten.sql, ["safemigrate"]);
    for (const key of Object.keys(expected) as Array<keyof typeof expected>) {
      expect(after[key], key).toEqual(expected[key]);
    }
    expect(JSON.stringify(after.constraints)).not.toContain("sm_not_null");
    expect(after.indexes.every((i) => (i as { valid: boolean }).valid)).toBe(true);
    expect(after.constraints.every((c) => (c as { valid: boolean }).valid)).toBe(true);
  });
});
