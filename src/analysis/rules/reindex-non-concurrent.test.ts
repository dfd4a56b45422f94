import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "reindex-non-concurrent";

describe(rule, () => {
  it.each([
    ["REINDEX INDEX", "REINDEX INDEX users_email_idx;"],
    ["REINDEX TABLE, multi-line", "REINDEX\n  TABLE\n  app.users;"],
    ["REINDEX SCHEMA", "REINDEX SCHEMA app;"],
    ["REINDEX DATABASE", "REINDEX DATABASE shop;"],
    ["a table created by an earlier migration", ["CREATE TABLE t (a int);", "REINDEX TABLE t;"]],
    ["CONCURRENTLY false", "REINDEX (CONCURRENTLY false) INDEX users_email_idx;"],
    ["CONCURRENTLY off, multi-line", "REINDEX (\n  CONCURRENTLY off,\n  VERBOSE\n) TABLE users;"],
    ["CONCURRENTLY 0", "REINDEX (CONCURRENTLY 0) TABLE users;"],
    ["CONCURRENTLY 'FALSE' (quoted, any case)", "REINDEX (CONCURRENTLY 'FALSE') TABLE users;"],
    ["CONCURRENTLY turned off by a later mention", "REINDEX (CONCURRENTLY, CONCURRENTLY false) TABLE users;"],
  ])("fires on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toHaveLength(1);
  });

  it.each([
    [
      "REINDEX INDEX of an unnamed exclusion constraint's index",
      "REINDEX INDEX r_id_during_excl;",
      "r_id_during_excl is the index of an exclusion constraint, which Postgres cannot rebuild concurrently",
    ],
    [
      "REINDEX TABLE of a table with an exclusion constraint",
      "REINDEX TABLE r;",
      "r has an exclusion constraint, whose index REINDEX TABLE CONCURRENTLY skips",
    ],
  ])("says there is no concurrent form for %s", (_name, sql, reason) => {
    const table =
      "CREATE TABLE r (id int, during tstzrange, EXCLUDE USING gist (id WITH =, during WITH &&));";
    const [finding] = findingsOf(rule, [table, sql]);
    expect(finding?.message).toContain(`(no concurrent form: ${reason})`);
    expect(finding?.message).toContain("SHARE lock on r");
  });

  it("names the lock and points at the statement", () => {
    const [finding] = findingsOf(rule, "SET lock_timeout = '1s';\nREINDEX TABLE users;");
    expect(finding).toMatchObject({ line: 2, column: 1 });
    expect(finding?.message).toBe(
      "REINDEX TABLE users takes a SHARE lock on users (blocks writes) and locks out queries that use the index being rebuilt until the rebuild ends",
    );
  });

  it.each([
    [11, /needs Postgres 12/],
    [12, /^REINDEX TABLE users takes a SHARE lock on users \(blocks writes\)[^(]*$/],
  ])("on Postgres %i says whether a concurrent form exists", (pgVersion, message) => {
    expect(findingsOf(rule, "REINDEX TABLE users;", { pgVersion })[0]?.message).toMatch(message);
  });

  it.each([
    ["REINDEX ... CONCURRENTLY", "REINDEX TABLE CONCURRENTLY users;"],
    ["the option-list spelling", "REINDEX (CONCURRENTLY, VERBOSE) INDEX users_email_idx;"],
    ...["true", "on", "1", "'ON'", '"true"'].map((value) => [
      `CONCURRENTLY ${value}`,
      `REINDEX (CONCURRENTLY ${value}) INDEX users_email_idx;`,
    ]),
    ["CONCURRENTLY false overridden", "REINDEX (CONCURRENTLY false) INDEX CONCURRENTLY users_email_idx;"],
    ["a table created in the same migration", "CREATE TABLE t (a int);\nREINDEX TABLE t;"],
    [
      "an index created in the same migration on a new table",
      "CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);\nREINDEX INDEX t_a;",
    ],
    [
      "ignored by directive",
      "-- safemigrate:ignore reindex-non-concurrent -- maintenance window\nREINDEX TABLE users;",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
