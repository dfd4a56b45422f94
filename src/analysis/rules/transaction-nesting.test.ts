import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "transaction-nesting";
const wrapped = { runsInTransaction: true };

describe(rule, () => {
  it.each([
    [
      "BEGIN ... COMMIT in a wrapped file",
      "BEGIN;\nALTER TABLE users ADD COLUMN n int;\nCOMMIT;",
      wrapped,
      "BEGIN inside a file that",
    ],
    [
      "START TRANSACTION in a wrapped file",
      "START TRANSACTION;\nSELECT 1;\nEND;",
      wrapped,
      "BEGIN inside a file that",
    ],
    ["COMMIT alone in a wrapped file", "SELECT 1;\nCOMMIT;", wrapped, "COMMIT ends the transaction"],
    ["a BEGIN never closed", "BEGIN;\nALTER TABLE users\n  ADD COLUMN n int;", {}, "BEGIN is never closed"],
    [
      "BEGIN inside an open BEGIN",
      "BEGIN;\nSELECT 1;\nBEGIN;\nSELECT 2;\nCOMMIT;",
      {},
      "followed by another BEGIN",
    ],
    ["COMMIT without BEGIN", "SELECT 1;\nCOMMIT;", {}, "COMMIT has no matching BEGIN"],
    ["ROLLBACK without BEGIN", "SELECT 1;\nROLLBACK;", {}, "ROLLBACK has no matching BEGIN"],
  ])("fires on %s", (_name, sql, options, message) => {
    const findings = findingsOf(rule, sql, options);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(message);
  });

  it("reports where the control statement is", () => {
    const [finding] = findingsOf(rule, "SELECT 1;\n  COMMIT;", wrapped);
    expect(finding).toMatchObject({ line: 2, column: 3, endLine: 2, endColumn: 9 });
    expect(finding?.message).toContain("the migration tool");
  });

  it.each([
    ["BEGIN ... COMMIT run by safemigrate", "BEGIN;\nALTER TABLE users ADD COLUMN n int;\nCOMMIT;", {}],
    ["BEGIN ... ROLLBACK", "BEGIN;\nSELECT 1;\nROLLBACK;", {}],
    ["two transaction blocks", "BEGIN;\nSELECT 1;\nCOMMIT;\nBEGIN;\nSELECT 2;\nCOMMIT;", {}],
    [
      "a wrapped file its tool runs without a transaction",
      "BEGIN;\nSELECT 1;\nCOMMIT;",
      { runsInTransaction: true, noTransaction: true },
    ],
    [
      "a wrapped file with -- safemigrate:no-transaction (as concurrently-in-transaction reads it)",
      "-- safemigrate:no-transaction\nBEGIN;\nSELECT 1;\nCOMMIT;",
      wrapped,
    ],
    ["SAVEPOINT in a wrapped file", "SAVEPOINT a;\nSELECT 1;\nRELEASE SAVEPOINT a;", wrapped],
    ["no transaction control", "ALTER TABLE users ADD COLUMN n int;", wrapped],
    [
      "ignored by directive",
      "-- safemigrate:ignore transaction-nesting -- the tool is told not to wrap\nBEGIN;\nSELECT 1;\nCOMMIT;",
      wrapped,
    ],
  ])("does not fire on %s", (_name, sql, options) => {
    expect(findingsOf(rule, sql, options)).toEqual([]);
  });
});
