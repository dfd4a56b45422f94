import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "add-column-required";

describe(rule, () => {
  it.each([
    ["NOT NULL without default", "ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;"],
    ["an inline primary key", "ALTER TABLE users ADD COLUMN id bigint PRIMARY KEY;"],
    [
      "schema-qualified, multi-line",
      "ALTER TABLE app.users\n  ADD COLUMN IF NOT EXISTS tenant_id bigint\n  NOT NULL;",
    ],
    ["one of several sub-commands", "ALTER TABLE users ADD COLUMN a int, ADD COLUMN b int NOT NULL;"],
  ])("fires on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toHaveLength(1);
  });

  it("fires on a table created by an earlier migration, at the ADD COLUMN clause", () => {
    const findings = findingsOf(rule, [
      "CREATE TABLE users (id bigint);",
      "ALTER TABLE users\n  ADD COLUMN tenant_id bigint NOT NULL;",
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: "0002_test.sql", line: 2, column: 3 });
    expect(findings[0]?.message).toContain("column tenant_id is added to existing table users as NOT NULL");
  });

  it.each([
    ["a constant default", "ALTER TABLE users ADD COLUMN active bool NOT NULL DEFAULT true;"],
    ["a nullable column", "ALTER TABLE users ADD COLUMN tenant_id bigint;"],
    ["an identity column", "ALTER TABLE users ADD COLUMN n bigint NOT NULL GENERATED ALWAYS AS IDENTITY;"],
    ["a serial column", "ALTER TABLE users ADD COLUMN n bigserial NOT NULL;"],
    [
      "a generated column",
      "ALTER TABLE users ADD COLUMN l int NOT NULL GENERATED ALWAYS AS (length(name)) STORED;",
    ],
    [
      "a table created in the same migration",
      "CREATE TABLE users (id bigint);\nALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;",
    ],
    [
      "ignored by directive",
      "-- safemigrate:ignore add-column-required -- table is empty everywhere\nALTER TABLE users\n  ADD COLUMN tenant_id bigint NOT NULL;",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
