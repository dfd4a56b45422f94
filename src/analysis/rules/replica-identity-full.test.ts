import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "replica-identity-full";

describe(rule, () => {
  it.each([
    ["REPLICA IDENTITY FULL", "ALTER TABLE orders REPLICA IDENTITY FULL;"],
    [
      "among other sub-commands, multi-line",
      "ALTER TABLE orders\n  ADD COLUMN note text,\n  REPLICA IDENTITY FULL;",
    ],
  ])("fires on %s", (_name, sql) => {
    const findings = findingsOf(rule, sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain("existing table orders");
    expect(findings[0]?.message).toContain("whole old row");
  });

  it.each([
    ["REPLICA IDENTITY DEFAULT", "ALTER TABLE orders REPLICA IDENTITY DEFAULT;"],
    ["REPLICA IDENTITY USING INDEX", "ALTER TABLE orders REPLICA IDENTITY USING INDEX orders_id_key;"],
    ["REPLICA IDENTITY NOTHING", "ALTER TABLE orders REPLICA IDENTITY NOTHING;"],
    [
      "a table created in the same migration",
      "CREATE TABLE o (id int);\nALTER TABLE o REPLICA IDENTITY FULL;",
    ],
    [
      "ignored by directive",
      "-- safemigrate:ignore replica-identity-full -- small table\nALTER TABLE orders REPLICA IDENTITY FULL;",
    ],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
