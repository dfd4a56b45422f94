import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DebugSession, debugSession } from "../../../test/support/debug-notices.js";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "attach-partition-scan";
const attach =
  "ALTER TABLE events ATTACH PARTITION events_2023 FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');";
const addCheck =
  "ALTER TABLE events_2023 ADD CONSTRAINT bound CHECK (at IS NOT NULL AND at >= '2023-01-01' AND at < '2024-01-01') NOT VALID;";
const validate = "ALTER TABLE events_2023 VALIDATE CONSTRAINT bound;";

describe(rule, () => {
  it.each([
    ["a plain attach", attach],
    [
      "a list partition, multi-line",
      "ALTER TABLE events\n  ATTACH PARTITION events_eu\n  FOR VALUES IN ('eu');",
    ],
    ["a check still NOT VALID", [addCheck, attach]],
    [
      "an existing table attached to a partitioned table created in this migration",
      `CREATE TABLE events (at date) PARTITION BY RANGE (at);\n${attach}`,
    ],
  ])("fires on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toHaveLength(1);
  });

  it("is a warning naming the partition and its lock", () => {
    const [finding] = findingsOf(rule, `SET lock_timeout = '1s';\n${attach}`);
    expect(finding).toMatchObject({ line: 2, column: 1, severity: "warning" });
    expect(finding?.message).toBe(
      "ATTACH PARTITION events_2023 to events scans every row of events_2023 against its bound while holding an ACCESS EXCLUSIVE lock on events_2023 (blocks reads and writes), since no validated CHECK constraint on events_2023 is known",
    );
  });

  it.each([
    ["a check added and validated by earlier migrations", [addCheck, validate, attach]],
    ["a check validated earlier in the same transaction", `${addCheck}\n${validate}\n${attach}`],
    [
      "a check validated in an earlier explicit transaction",
      `BEGIN;\n${addCheck}\n${validate}\nCOMMIT;\n${attach}`,
    ],
    [
      "an unnamed check from an earlier migration",
      [
        "ALTER TABLE events_2023 ADD CHECK (at IS NOT NULL AND at >= '2023-01-01' AND at < '2024-01-01');",
        attach,
      ],
    ],
    ["a partition created in the same migration", `CREATE TABLE events_2023 (at date);\n${attach}`],
    ["detaching", "ALTER TABLE events DETACH PARTITION events_2023;"],
    ["ignored by directive", `-- safemigrate:ignore attach-partition-scan -- empty partition\n${attach}`],
  ])("does not fire on %s", (_name, sql) => {
    expect(findingsOf(rule, sql)).toEqual([]);
  });

  describe("on a real server", () => {
    let db: DebugSession;
    beforeAll(async () => {
      db = await debugSession();
      await db.run(
        "CREATE TABLE events (at date) PARTITION BY RANGE (at);" +
          "CREATE TABLE events_2023 (at date); CREATE TABLE events_2024 (at date);",
      );
    });
    afterAll(() => db.close());

    it("a validated CHECK matching the bound lets Postgres skip the scan", async () => {
      await db.run(addCheck);
      await db.run(validate);
      const notices = await db.run(attach);
      expect(notices).toContain(
        'partition constraint for table "events_2023" is implied by existing constraints',
      );
      expect(notices).not.toContain('verifying table "events_2023"');
    });

    it("so does one validated earlier in the same transaction", async () => {
      await db.run("CREATE TABLE events_2025 (at date)");
      const notices = await db.run(
        "BEGIN;" +
          "ALTER TABLE events_2025 ADD CONSTRAINT bound_2025 CHECK (at IS NOT NULL AND at >= '2025-01-01' AND at < '2026-01-01') NOT VALID;" +
          "ALTER TABLE events_2025 VALIDATE CONSTRAINT bound_2025;" +
          "ALTER TABLE events ATTACH PARTITION events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');" +
          "COMMIT;",
      );
      expect(notices).toContain(
        'partition constraint for table "events_2025" is implied by existing constraints',
      );
    });

    it("without it Postgres scans the partition", async () => {
      const notices = await db.run(
        "ALTER TABLE events ATTACH PARTITION events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
      );
      expect(notices).toContain('verifying table "events_2024"');
    });
  });
});
