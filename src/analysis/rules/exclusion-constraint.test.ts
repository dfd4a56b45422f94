import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "exclusion-constraint";
const exclude =
  "ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);";

describe(rule, () => {
  it.each([
    ["a named exclusion constraint", exclude],
    ["an unnamed one, multi-line", "ALTER TABLE bookings\n  ADD EXCLUDE USING gist\n  (during WITH &&);"],
    ["one with a predicate", "ALTER TABLE bookings ADD EXCLUDE USING gist (during WITH &&) WHERE (active);"],
    ["a table created by an earlier migration", ["CREATE TABLE bookings (during tstzrange);", exclude]],
  ])("fires on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toHaveLength(1);
  });

  it("is a warning naming the constraint and the lock", () => {
    const [finding] = findingsOf(rule, `SET lock_timeout = '1s';\n${exclude}`);
    expect(finding).toMatchObject({ line: 2, column: 1, severity: "warning" });
    expect(finding?.message).toBe(
      "EXCLUDE constraint no_overlap builds its index on bookings while holding an ACCESS EXCLUSIVE lock on bookings (blocks reads and writes), and has no concurrent form",
    );
  });

  it.each([
    [
      "a table created in the same migration",
      `CREATE TABLE bookings (room int, during tstzrange);\n${exclude}`,
    ],
    [
      "an exclusion constraint in CREATE TABLE",
      "CREATE TABLE bookings (during tstzrange, EXCLUDE USING gist (during WITH &&));",
    ],
    ["a unique constraint", "ALTER TABLE bookings ADD UNIQUE USING INDEX bookings_room_idx;"],
    ["ignored by directive", `-- safemigrate:ignore exclusion-constraint -- maintenance window\n${exclude}`],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });
});
