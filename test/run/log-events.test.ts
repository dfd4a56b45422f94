/**
 * `--log-format json` as a pipeline reads it: every run that starts ends with `run-done` and its exit status,
 * the gate's findings are one event each, a failure names migration, phase and step, and the server is
 * given as fields without the password (the test servers' URLs carry one).
 */
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { cli, gateOf, migrationDir } from "./helpers.js";

const BIG = "CREATE TABLE big (id int, a int);\nINSERT INTO big SELECT g, g FROM generate_series(1, 5000) g;";

describe.each(testMajors())("JSON log events on Postgres %s", (major) => {
  const databases: TestDatabase[] = [];
  const database = async () => {
    const db = await createTestDatabase(major);
    databases.push(db);
    return db;
  };
  afterAll(() => Promise.all(databases.map((d) => d.drop())));

  it("starts with the server as fields and ends with run-done, status done, never the password", async () => {
    const db = await database();
    const url = new URL(db.url);
    expect(url.password).not.toBe("");
    const dir = migrationDir({ "001_t.sql": "CREATE TABLE t (id int);" });
    const run = await cli(["up", dir, "--log-format", "json"], db.url);
    expect(run.code).toBe(0);
    expect(run.events.find((e) => e.event === "run-start")?.server).toEqual({
      host: url.hostname,
      port: Number(url.port),
      database: url.pathname.slice(1),
      user: decodeURIComponent(url.username),
    });
    expect(run.events.at(-1)).toMatchObject({ event: "run-done", status: "done", exitCode: 0, applied: 1 });
    expect(run.stdout + run.stderr).not.toContain(decodeURIComponent(url.password));
  });

  it("ends a failed run with run-done, status failed, after an error naming migration, phase and step", async () => {
    const db = await database();
    const dir = migrationDir({
      "001_ok.sql": "CREATE TABLE ok (id int);",
      "002_broken.sql":
        "CREATE TABLE b (id int);\nCREATE INDEX CONCURRENTLY b_id ON b (id);\nINSERT INTO missing VALUES (1);",
    });
    const run = await cli(["up", dir, "--log-format", "json"], db.url);
    expect(run.code).toBe(1);
    const error = run.events.find((e) => e.event === "error");
    expect(error).toMatchObject({
      version: "002",
      name: "broken",
      phase: "expand",
      line: 3,
      step: 3,
      steps: 3,
    });
    expect(String(error?.message)).toContain('relation "missing" does not exist');
    expect(run.events.at(-1)).toMatchObject({ event: "run-done", status: "failed", exitCode: 1, applied: 1 });
  });

  it("gives the gate's findings one event each, then the gate's counts, then run-done, status blocked", async () => {
    const db = await database();
    const dir = migrationDir({
      "001_big.sql": BIG,
      "002_changes.sql": "UPDATE big SET a = a + 1;\nUPDATE big SET a = a - 1;",
    });
    await cli(["up", dir, "--to", "001"], db.url);
    const run = await cli(["up", dir, "--log-format", "json"], db.url);
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split("\n");
    const findingLines = lines.filter((l) => l.includes('"event":"gate-finding"'));
    expect(findingLines).toHaveLength(2);
    expect(gateOf(run.events).blocked.map((f) => [f.rule, f.line])).toEqual([
      ["unbatched-data-change", 1],
      ["unbatched-data-change", 2],
    ]);
    const gate = run.events.find((e) => e.event === "gate");
    expect(gate).toMatchObject({ blocked: 2, passed: 0, unsafe: false });
    expect(run.events.at(-1)).toMatchObject({
      event: "run-done",
      status: "blocked",
      exitCode: 1,
      applied: 0,
    });
  });
});
