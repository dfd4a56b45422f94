import { describe, expect, it } from "vitest";
import { findingsOf, migrationFromSql } from "../../../test/support/lint.js";
import { lintMigrations } from "../lint.js";

const rule = "not-modelled";

describe(rule, () => {
  it.each([
    [
      "a statement kind the model does not know",
      "ALTER DOMAIN positive SET NOT NULL;",
      "ALTER DOMAIN is not in the statement model",
    ],
    [
      "a SELECT that calls a function",
      "SELECT create_hypertable('events', 'at');",
      "SELECT calls create_hypertable",
    ],
    ["SELECT ... FOR UPDATE", "SELECT * FROM users FOR UPDATE;", "row locks"],
    ["DROP SCHEMA ... CASCADE", "DROP SCHEMA old CASCADE;", "CASCADE also drops what depends on it"],
    ["DROP TYPE ... CASCADE", "DROP TYPE mood CASCADE;", "CASCADE also drops"],
    [
      "timestamp to timestamptz",
      "CREATE TABLE e (at timestamp);\n--\nALTER TABLE e ALTER COLUMN at TYPE timestamptz;",
      "TimeZone is UTC",
    ],
    [
      "a type change of a column whose type is unknown",
      "ALTER TABLE users ALTER COLUMN a TYPE bigint;",
      "current type of users.a is not known",
    ],
    [
      "REFRESH of a view from before the set",
      "REFRESH MATERIALIZED VIEW totals;",
      "materialized view totals reads",
    ],
  ])("notes %s", (_name, sql, message) => {
    const files = sql.split("\n--\n");
    const findings = findingsOf(rule, files.length > 1 ? files : sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.severity).toBe("note");
    expect(findings[0]?.message).toContain(message);
  });

  it.each([
    ["SELECT of a setting", "SELECT set_config('search_path', 'app', false);"],
    ["SHOW", "SHOW lock_timeout;"],
    ["DISCARD ALL", "DISCARD ALL;"],
    ["a described statement", "CREATE INDEX CONCURRENTLY i ON users (a);"],
    ["DROP TABLE ... CASCADE (the views are followed)", "DROP TABLE users CASCADE;"],
    [
      "timestamp to timestamptz below Postgres 12 (always a rewrite)",
      "CREATE TABLE e (at timestamp);\n--\nALTER TABLE e ALTER COLUMN at TYPE timestamptz;",
      11,
    ],
    [
      "REFRESH of a view the set created",
      "CREATE MATERIALIZED VIEW totals AS SELECT count(*) FROM users;\n--\nREFRESH MATERIALIZED VIEW totals;",
    ],
  ])("does not note %s", (_name, sql, pgVersion = 14) => {
    const files = sql.split("\n--\n");
    expect(findingsOf(rule, files.length > 1 ? files : sql, { pgVersion })).toEqual([]);
  });

  it("counts what is not modelled in the summary, whatever the rules' settings", () => {
    const sql = [
      "ALTER DOMAIN positive SET NOT NULL;",
      "DO $$ BEGIN EXECUTE format('DROP TABLE %I', 'x'); ALTER DOMAIN positive DROP NOT NULL; END $$;",
      "CREATE INDEX CONCURRENTLY i ON users (a);",
    ].join("\n");
    const off = { "not-modelled": "off", "dynamic-sql": "off" } as const;
    for (const rules of [{}, off]) {
      const result = lintMigrations([migrationFromSql(sql)], { pgVersion: 14, rules });
      // The ALTER DOMAIN, the one inside the block, the EXECUTE.
      expect(result.summary.unmodelled).toBe(3);
    }
  });

  it("can be raised to an error for strict pipelines", () => {
    const result = lintMigrations([migrationFromSql("ALTER DOMAIN positive SET NOT NULL;")], {
      pgVersion: 14,
      rules: { "not-modelled": "error" },
    });
    expect(result.summary.errors).toBe(1);
  });
});
