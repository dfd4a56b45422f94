import { describe, expect, it } from "vitest";
import { findingsOf, type LintSqlOptions } from "../../../test/support/lint.js";

const rule = "enum-value-in-transaction";

describe(rule, () => {
  it.each([
    [
      "a cast in a later UPDATE",
      "ALTER TYPE mood ADD VALUE 'meh';\nUPDATE people SET mood = 'meh'::mood WHERE id = 1;",
    ],
    [
      "a column default",
      "ALTER TYPE mood ADD VALUE 'meh';\nALTER TABLE people ALTER COLUMN mood SET DEFAULT 'meh';",
    ],
    [
      "a transaction block, multi-line",
      "BEGIN;\nALTER TYPE mood\n  ADD VALUE IF NOT EXISTS 'meh' AFTER 'ok';\nINSERT INTO people (mood)\n  VALUES ('meh');\nCOMMIT;",
    ],
    [
      "a file its tool wraps in a transaction",
      "ALTER TYPE mood ADD VALUE 'meh';\nSELECT 'meh'::mood;",
      { runsInTransaction: true },
    ],
  ] as Array<[string, string, LintSqlOptions?]>)("fires on %s", (_name, sql, options) => {
    const findings = findingsOf(rule, sql, options);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(
      "enum value 'meh' is used in the same transaction that adds it to mood",
    );
  });

  it("reports each added value at its own first use, in the order the values were added", () => {
    const findings = findingsOf(
      rule,
      [
        "ALTER TYPE mood ADD VALUE 'meh';",
        "ALTER TYPE mood ADD VALUE 'wow';",
        "UPDATE people SET mood = 'ok' WHERE id = 1;",
        "UPDATE people SET mood = CASE WHEN id = 2 THEN 'wow' ELSE 'meh' END::mood WHERE id > 1;",
        "UPDATE people SET mood = 'meh' WHERE id = 3;",
        "ALTER TYPE size ADD VALUE 'meh';",
        "UPDATE shirts SET size = 'meh' WHERE id = 4;",
      ].join("\n"),
      { runsInTransaction: true },
    );
    expect(findings.map((f) => [f.line, f.message.match(/'(\w+)' .* to (\w+)/)?.slice(1)])).toEqual([
      [4, ["meh", "mood"]],
      [4, ["wow", "mood"]],
      [7, ["meh", "size"]],
    ]);
  });

  it("reports the first use only, at its position", () => {
    const findings = findingsOf(rule, [
      "CREATE TYPE mood AS ENUM ('ok');",
      "ALTER TYPE mood ADD VALUE 'meh';\n  UPDATE people SET mood = 'meh' WHERE id = 1;\nUPDATE people SET mood = 'meh' WHERE id = 2;",
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: "0002_test.sql", line: 2, column: 3 });
  });

  it.each([
    ["an explicit transaction block", "BEGIN;\nALTER TYPE mood ADD VALUE 'meh';\nCOMMIT;", {}],
    [
      "a file its tool wraps in a transaction",
      "ALTER TYPE mood ADD VALUE 'meh';",
      { runsInTransaction: true },
    ],
  ])("fires below Postgres 12 on any ADD VALUE in %s", (_name, sql, options) => {
    const findings = findingsOf(rule, sql, { pgVersion: 11, ...options });
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain("which Postgres rejects before version 12");
  });

  it.each([
    ["ADD VALUE alone", "ALTER TYPE mood ADD VALUE 'meh';", {}],
    [
      "ADD VALUE in a transaction block on Postgres 12+",
      "BEGIN;\nALTER TYPE mood ADD VALUE 'meh';\nCOMMIT;",
      {},
    ],
    [
      "a use in a later transaction",
      "BEGIN;\nALTER TYPE mood ADD VALUE 'meh';\nCOMMIT;\nUPDATE people SET mood = 'meh' WHERE id = 1;",
      {},
    ],
    [
      "a use in a later migration",
      ["ALTER TYPE mood ADD VALUE 'meh';", "UPDATE people SET mood = 'meh' WHERE id = 1;"],
      {},
    ],
    [
      "a different value",
      "ALTER TYPE mood ADD VALUE 'meh';\nUPDATE people SET mood = 'ok' WHERE id = 1;",
      {},
    ],
    [
      "statements run one by one (tool opt-out)",
      "ALTER TYPE mood ADD VALUE 'meh';\nUPDATE people SET mood = 'meh' WHERE id = 1;",
      { runsInTransaction: true, noTransaction: true },
    ],
    ["ADD VALUE outside a transaction on Postgres 11", "ALTER TYPE mood ADD VALUE 'meh';", { pgVersion: 11 }],
    [
      "ignored by directive",
      "ALTER TYPE mood ADD VALUE 'meh';\n-- safemigrate:ignore enum-value-in-transaction -- value committed by hand beforehand\nUPDATE people\n  SET mood = 'meh';",
      {},
    ],
  ])("does not fire on %s", (_name, sql, options) => {
    expect(findingsOf(rule, sql, options)).toEqual([]);
  });
});
