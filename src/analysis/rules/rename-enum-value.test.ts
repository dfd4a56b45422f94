import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "rename-enum-value";

describe(rule, () => {
  it.each([
    ["RENAME VALUE", "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';", "value 'sad' of enum mood to 'blue'"],
    [
      "a schema-qualified type, multi-line",
      "ALTER TYPE app.mood\n  RENAME VALUE 'sad'\n  TO 'blue';",
      "enum app.mood",
    ],
  ])("fires on %s", (_name, sql, message) => {
    const findings = findingsOf(rule, sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(message);
  });

  it("fires on an enum created by an earlier migration", () => {
    const findings = findingsOf(rule, [
      "CREATE TYPE mood AS ENUM ('sad', 'happy');",
      "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';",
    ]);
    expect(findings.map((f) => [f.file, f.line])).toEqual([["0002_test.sql", 1]]);
  });

  it.each([
    ["ADD VALUE", "ALTER TYPE mood ADD VALUE 'calm';"],
    [
      "an enum created in the same migration",
      "CREATE TYPE mood AS ENUM ('sad');\nALTER TYPE mood RENAME VALUE 'sad' TO 'blue';",
    ],
    ["the contract section", "-- safemigrate:contract\nALTER TYPE mood RENAME VALUE 'sad' TO 'blue';"],
    [
      "ignored by directive",
      "-- safemigrate:ignore rename-enum-value -- label unused\nALTER TYPE mood RENAME VALUE 'sad' TO 'blue';",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
