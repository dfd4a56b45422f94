import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "unique-constraint-without-index";

describe(rule, () => {
  it.each([
    ["ADD CONSTRAINT UNIQUE", "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);"],
    ["ADD PRIMARY KEY, multi-line", "ALTER TABLE users\n  ADD PRIMARY KEY\n    (id);"],
    ["an inline UNIQUE column", "ALTER TABLE users ADD COLUMN code text UNIQUE;"],
    [
      "an inline PRIMARY KEY column",
      "ALTER TABLE users ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;",
    ],
    [
      "a table created by an earlier migration",
      ["CREATE TABLE users (email text);", "ALTER TABLE users ADD UNIQUE (email);"],
    ],
  ])("fires on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toHaveLength(1);
  });

  it("names the constraint and the lock", () => {
    const [finding] = findingsOf(
      rule,
      "SET lock_timeout = '1s';\n ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY (id);",
    );
    expect(finding).toMatchObject({ line: 2, column: 2 });
    expect(finding?.message).toBe(
      "PRIMARY KEY constraint users_pkey builds its index on users while holding an ACCESS EXCLUSIVE lock on users (blocks reads and writes)",
    );
  });

  it.each([
    [
      "UNIQUE USING INDEX",
      "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;",
    ],
    [
      "PRIMARY KEY USING INDEX",
      "ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id_idx;",
    ],
    [
      "a table created in the same migration",
      "CREATE TABLE users (id bigint, email text);\nALTER TABLE users ADD PRIMARY KEY (id);\nALTER TABLE users ADD UNIQUE (email);",
    ],
    ["constraints in CREATE TABLE", "CREATE TABLE users (id bigint PRIMARY KEY, email text UNIQUE);"],
    ["a foreign key", "ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users NOT VALID;"],
    [
      "ignored by directive",
      "-- safemigrate:ignore unique-constraint-without-index -- lookup table\nALTER TABLE users ADD UNIQUE (email);",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
