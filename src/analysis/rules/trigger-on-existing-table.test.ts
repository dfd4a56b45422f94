import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "trigger-on-existing-table";

describe(rule, () => {
  it.each([
    ["a row trigger", "CREATE TRIGGER audit AFTER UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit();"],
    [
      "CREATE OR REPLACE TRIGGER, multi-line",
      "CREATE OR REPLACE TRIGGER audit\n  BEFORE INSERT ON orders\n  FOR EACH ROW EXECUTE FUNCTION audit();",
    ],
    ["a statement trigger", "CREATE TRIGGER audit AFTER INSERT ON orders EXECUTE FUNCTION audit();"],
  ])("fires on %s", (_name, sql) => {
    const findings = findingsOf(rule, sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain("a SHARE ROW EXCLUSIVE lock on orders (blocks writes)");
    expect(findings[0]?.message).toContain("reads continue");
  });

  it("names the partitions of a partitioned table a row trigger locks too", () => {
    const findings = findingsOf(rule, [
      "CREATE TABLE e (k int) PARTITION BY RANGE (k);\nCREATE TABLE e1 PARTITION OF e FOR VALUES FROM (0) TO (10);",
      "CREATE TRIGGER audit AFTER UPDATE ON e FOR EACH ROW EXECUTE FUNCTION audit();",
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain("on e (blocks writes) and on each of its partitions (e1)");
  });

  it.each([
    [
      "a table created in the same migration",
      "CREATE TABLE o (id int);\nCREATE TRIGGER audit AFTER UPDATE ON o FOR EACH ROW EXECUTE FUNCTION audit();",
    ],
    [
      "ignored by directive",
      "-- safemigrate:ignore trigger-on-existing-table -- low write rate\nCREATE TRIGGER audit AFTER UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit();",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
