import { describe, expect, it } from "vitest";
import { runCli } from "../../../test/support/cli.js";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "fails-on-postgres";

const PARTITIONED = `CREATE TABLE accounts (id bigint PRIMARY KEY);
CREATE TABLE events (id bigint, account_id bigint, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');`;
const NOT_VALID_KEY =
  "ALTER TABLE events ADD CONSTRAINT events_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;";

// Plan reports what the shadow rejects (test/plan/cases.test.ts); lint what the target version rejects.
describe(rule, () => {
  it.each([14, 15, 16, 17])(
    "a NOT VALID foreign key on a partitioned table, for Postgres %i",
    (pgVersion) => {
      const [finding, ...rest] = findingsOf(rule, [PARTITIONED, NOT_VALID_KEY], { pgVersion });
      expect(rest).toEqual([]);
      expect(finding).toMatchObject({ severity: "error", line: 1, column: 1 });
      expect(finding?.message).toContain(
        `Postgres ${pgVersion} rejects a NOT VALID foreign key on partitioned table events`,
      );
    },
  );

  it.each([
    ["Postgres 18 accepts it", [PARTITIONED, NOT_VALID_KEY], 18],
    [
      "a plain table",
      [
        "CREATE TABLE accounts (id bigint PRIMARY KEY);\nCREATE TABLE events (account_id bigint);",
        NOT_VALID_KEY,
      ],
      14,
    ],
    [
      "the key without NOT VALID (plan/up take the route)",
      [PARTITIONED, NOT_VALID_KEY.replace(" NOT VALID", "")],
      14,
    ],
    [
      "a statement plan would find failing: lint does not run it",
      ["ALTER TABLE no_such_table ADD COLUMN x int;"],
      14,
    ],
  ])("not for %s", (_, sql, pgVersion) => {
    expect(findingsOf(rule, sql as string[], { pgVersion: pgVersion as number })).toEqual([]);
  });

  it("is in the catalogue: explain prints its page, and a severity setting names it", async () => {
    const explained = await runCli(["explain", rule]);
    expect(explained.code).toBe(0);
    expect(explained.stdout.startsWith(`# ${rule}\n`)).toBe(true);
    const listed = await runCli(["rules"]);
    expect(listed.stdout).toMatch(/^fails-on-postgres\s+error\s+syntax/m);
    const off = await runCli(["lint", "--pg-version", "14", "--rule", `${rule}=off`, "-"], {
      stdin: `${PARTITIONED}\n${NOT_VALID_KEY}`,
    });
    expect(off.stdout).not.toContain(rule);
  });
});
