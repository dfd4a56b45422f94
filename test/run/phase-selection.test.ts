/**
 * Plan shows exactly what `up` and `contract` run: with a history part-way through expand and contract
 * phases, the phases plan lists as pending are the ones the runner then runs, in the same order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plan } from "../../src/plan/plan.js";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { cli, migrationDir } from "./helpers.js";

const FILES = {
  "001_a.sql": "CREATE TABLE a (id int);",
  "002_b.sql":
    "-- safemigrate:expand\nALTER TABLE a ADD COLUMN b int;\n-- safemigrate:contract\nALTER TABLE a DROP COLUMN id;",
  "003_c.sql":
    "-- safemigrate:expand\nALTER TABLE a ADD COLUMN c int;\n-- safemigrate:contract\nALTER TABLE a DROP COLUMN b;",
  "004_d.sql": "CREATE TABLE d (id int);",
  "005_e.sql":
    "-- safemigrate:expand\nCREATE TABLE e (id int);\n-- safemigrate:contract\nALTER TABLE e ADD COLUMN x int;",
};

describe.each(testMajors())("pending phases on Postgres %s", (major) => {
  let db: TestDatabase;
  const dir = migrationDir(FILES);
  beforeAll(async () => {
    db = await createTestDatabase(major);
    // 001-003 expanded, 002 contracted: pending are the expands of 004 and 005, the contracts of 003 and 005.
    expect((await cli(["up", dir, "--to", "003", "--unsafe"], db.url)).code).toBe(0);
    expect((await cli(["contract", dir, "--to", "002", "--unsafe"], db.url)).code).toBe(0);
  });
  afterAll(() => db?.drop());

  const ran = (events: Array<Record<string, unknown>>) =>
    events.filter((e) => e.event === "migration-start").map((e) => `${e.version} ${e.phase}`);

  it("are the same for plan, up and contract", async () => {
    const planned = await plan({ path: dir, databaseUrl: db.url, trace: false });
    const phases = planned.migrations.map((m) => `${m.version} ${m.phase}`);
    expect(phases).toEqual(["004 expand", "005 expand", "003 contract", "005 contract"]);
    const up = await cli(["up", dir, "--unsafe", "--log-format", "json"], db.url);
    expect(up.code).toBe(0);
    expect(ran(up.events)).toEqual(phases.filter((p) => p.endsWith("expand")));
    const contract = await cli(["contract", dir, "--unsafe", "--log-format", "json"], db.url);
    expect(contract.code).toBe(0);
    expect(ran(contract.events)).toEqual(phases.filter((p) => p.endsWith("contract")));
    const after = await plan({ path: dir, databaseUrl: db.url, trace: false });
    expect(after.migrations).toEqual([]);
  });
});
