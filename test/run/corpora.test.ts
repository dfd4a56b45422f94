/**
 * The crates.io history (285 real diesel migrations, shared corpus) replays onto an empty database with
 * --unsafe, with the safe rewrites on; a second run finds nothing to do and status reports all complete.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { cli, REPO_ROOT } from "./helpers.js";

const CORPUS = join(REPO_ROOT, "../shared/corpus/cratesio/migrations");

describe.runIf(existsSync(CORPUS)).each(testMajors())("crates.io history on Postgres %s", (major) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(major);
  });
  afterAll(() => db?.drop());

  it("replays all migrations onto an empty database", { timeout: 180_000 }, async () => {
    const started = performance.now();
    const result = await cli(["up", CORPUS, "--unsafe", "--log-format", "json"], db.url);
    const seconds = (performance.now() - started) / 1000;
    const error = result.events.find((e) => e.event === "error");
    expect(error).toBeUndefined();
    expect(result.code).toBe(0);
    const done = result.events.filter((e) => e.event === "migration-done");
    expect(done).toHaveLength(285);
    const steps = result.events.filter((e) => e.event === "step-done");
    const rewritten = steps.filter((e) => e.rewrittenFrom !== null).length;
    const gate = result.events.find((e) => e.event === "gate") as unknown as {
      passed: Array<{ reason: string }>;
    };
    const count = (reason: string) => gate.passed.filter((p) => p.reason === reason).length;
    console.log(
      `[crates.io] PG${major}: 285 migrations, ${steps.length} steps (${rewritten} rewritten) in ${seconds.toFixed(1)}s; ` +
        `gate: ${count("rewrite")} resolved by rewrites, ${count("small-table")} small tables, ` +
        `${count("unsafe")} passed by --unsafe`,
    );

    const again = await cli(["up", CORPUS], db.url);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("nothing to do");
    const status = await cli(["status", CORPUS, "--check", "--format", "json"], db.url);
    expect(status.code).toBe(0);
    const states = new Set(JSON.parse(status.stdout).migrations.map((m: { state: string }) => m.state));
    expect([...states]).toEqual(["complete"]);
    const [invalid] = await db.sql`SELECT count(*)::int AS n FROM pg_index WHERE NOT indisvalid`;
    expect(invalid?.n).toBe(0);
  });
});
