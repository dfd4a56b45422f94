import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "inheritance-change";

describe(rule, () => {
  it.each([
    ["INHERIT", "ALTER TABLE archive INHERIT events;", "INHERIT makes the rows of existing table archive"],
    [
      "NO INHERIT",
      "ALTER TABLE archive NO INHERIT events;",
      "NO INHERIT removes the rows of existing table archive",
    ],
    ["a schema-qualified parent", "ALTER TABLE archive NO INHERIT app.events;", "every query of app.events"],
  ])("fires on %s", (_name, sql, message) => {
    const findings = findingsOf(rule, sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(message);
    expect(findings[0]?.message).toContain("ACCESS EXCLUSIVE");
  });

  it("fires once per sub-command, on a table created by an earlier migration", () => {
    const findings = findingsOf(rule, [
      "CREATE TABLE archive (id bigint);",
      "ALTER TABLE archive NO INHERIT events, INHERIT events_v2;",
    ]);
    expect(findings.map((f) => [f.file, f.line])).toEqual([
      ["0002_test.sql", 1],
      ["0002_test.sql", 1],
    ]);
  });

  it.each([
    ["a table created in the same migration", "CREATE TABLE a (id int);\nALTER TABLE a INHERIT events;"],
    ["ATTACH PARTITION (another rule)", "ALTER TABLE m ATTACH PARTITION m2 FOR VALUES IN (1);"],
    ["ignored by directive", "-- safemigrate:ignore inheritance-change\nALTER TABLE archive INHERIT events;"],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
