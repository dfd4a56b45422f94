/**
 * `plan --rollback`: the down parts that `rollback` would run, traced on the shadow after replaying the
 * history they undo (every migration applied without a database; the history with one), with the same
 * refusals as `rollback`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Refused } from "../../src/errors.js";
import { plan } from "../../src/plan/plan.js";
import { planReport } from "../../src/plan/report.js";
import { cli } from "../run/helpers.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";
import { migrationDir, USERS, useSharedShadow } from "./helpers.js";

const NICKNAME = `-- safemigrate:expand
ALTER TABLE users ADD COLUMN nickname text;
CREATE INDEX users_nickname_idx ON users (nickname);
-- safemigrate:contract
ALTER TABLE users DROP COLUMN email;
-- safemigrate:rollback
DROP INDEX users_nickname_idx;
-- The contract has not run: email is still there for the old application.
CREATE INDEX users_email_idx ON users (email);
ALTER TABLE users DROP COLUMN nickname;
`;

describe("plan --rollback", () => {
  const shadow = useSharedShadow();

  it("plans the newest migration's down part after replaying the history, with the safe rewrites", async () => {
    const dir = await migrationDir({ "001_users.sql": USERS, "002_nickname.sql": NICKNAME });
    try {
      const result = await plan({ path: dir.path, rollback: true, openShadow: () => shadow().open() });
      expect(result.shadow?.replayed).toBe(2); // 001 and the expand of 002, not its contract
      const report = planReport(result);
      expect(report.migrations).toHaveLength(1);
      const [m] = report.migrations;
      expect(m).toMatchObject({ version: "002", phase: "rollback" });
      // Linted as up lints (the rewrite resolves the plain CREATE INDEX); nothing fails on the shadow.
      expect(m?.findings.map((f) => f.rule)).toContain("create-index-non-concurrent");
      expect(m?.findings.filter((f) => f.rule === "fails-on-postgres")).toEqual([]);
      expect(m?.steps.map((s) => [s.sql, s.traced, s.blocks])).toEqual([
        ["DROP INDEX CONCURRENTLY users_nickname_idx;", true, "nothing"],
        ["CREATE INDEX CONCURRENTLY users_email_idx ON users (email);", true, "nothing"],
        ["ALTER TABLE users DROP COLUMN nickname;", true, "reads+writes"],
      ]);
      expect(m?.steps[0]?.rewrittenFrom).toBe("DROP INDEX users_nickname_idx");
    } finally {
      await dir.remove();
    }
  });

  it("--to plans every migration after the version, newest first, and a failing down part is a finding at its file and line", async () => {
    const dir = await migrationDir({
      "1_users.up.sql": USERS,
      "1_users.down.sql": "DROP TABLE users;\nDROP TABLE orgs;",
      "2_a.up.sql": "ALTER TABLE users ADD COLUMN a int;",
      "2_a.down.sql": "\n\nALTER TABLE users DROP COLUMN not_there;",
      "3_b.up.sql": "ALTER TABLE users ADD COLUMN b int;",
      "3_b.down.sql": "ALTER TABLE users DROP COLUMN b;",
    });
    try {
      const result = await plan({
        path: dir.path,
        rollback: true,
        to: "1",
        openShadow: () => shadow().open(),
      });
      const report = planReport(result);
      expect(report.migrations.map((m) => `${m.version}:${m.phase}`)).toEqual(["3:rollback", "2:rollback"]);
      const failure = report.migrations[1]?.findings.find((f) => f.rule === "fails-on-postgres");
      expect(failure).toMatchObject({ rule: "fails-on-postgres", line: 3 });
      expect(failure?.file).toMatch(/2_a\.down\.sql$/);
      expect(failure?.message).toContain("not_there");
    } finally {
      await dir.remove();
    }
  });

  it("refuses a migration without a down part, naming it", async () => {
    const dir = await migrationDir({
      "001_users.sql": USERS,
      "002_a.sql": "ALTER TABLE users ADD COLUMN a int;",
    });
    try {
      const planned = plan({ path: dir.path, rollback: true, openShadow: () => shadow().open() });
      await expect(planned).rejects.toThrow(Refused);
      await expect(planned).rejects.toThrow(/002_a\.sql: no down part to roll back with/);
    } finally {
      await dir.remove();
    }
  });
});

describe("plan --rollback with a database", () => {
  let db: TestDatabase;
  let dir: Awaited<ReturnType<typeof migrationDir>>;
  beforeAll(async () => {
    [db, dir] = await Promise.all([
      createTestDatabase(),
      migrationDir({ "001_users.sql": USERS, "002_nickname.sql": NICKNAME }),
    ]);
  });
  afterAll(async () => {
    await dir?.remove();
    await db?.drop();
  });

  it("plans what rollback would undo there, and refuses once the contract ran (exit 1, one line)", async () => {
    expect((await cli(["up", dir.path, "--unsafe"], db.url)).code).toBe(0);
    const planned = await cli(["plan", dir.path, "--rollback", "--format", "json", "--no-shadow"], db.url);
    expect(planned.code, planned.stderr).toBe(0);
    const report = JSON.parse(planned.stdout);
    expect(
      report.migrations.map((m: { version: string; phase: string }) => `${m.version}:${m.phase}`),
    ).toEqual(["002:rollback"]);
    expect((await cli(["contract", dir.path], db.url)).code).toBe(0);
    const refused = await cli(["plan", dir.path, "--rollback", "--no-shadow"], db.url);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/^safemigrate: .*002_nickname\.sql: its contract phase has run/),
    ]);
    const nothing = await cli(["plan", dir.path, "--rollback", "--to", "002", "--no-shadow"], db.url);
    expect(nothing.stdout).toContain("nothing to plan: no applied migration to roll back");
    const usage = await cli(["plan", dir.path, "--to", "001"], db.url);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--to: only with --rollback");
  });
});
