/**
 * Real migration histories from the shared corpus replay onto an empty database with --unsafe, with the safe
 * rewrites on: crates.io (285 diesel migrations), documenso (163 prisma ones), river (7 golang-migrate ones).
 * A second run finds nothing to do and status reports every migration complete.
 */
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { cli, REPO_ROOT } from "./helpers.js";

const CORPORA = [
  { name: "crates.io", dir: "cratesio/migrations", count: 285 },
  { name: "documenso", dir: "documenso/migrations", count: 163 },
  // River's files carry a `/* TEMPLATE: schema */` placeholder that River substitutes; left in place, it sits
  // inside to_regclass('...') in 005, which raises "invalid name syntax" before Postgres 16 (16 returns NULL).
  { name: "river", dir: "river/main", count: 7, failsBefore: 16 },
].map((c) => ({ ...c, path: join(REPO_ROOT, "../shared/corpus", c.dir) }));

describe.each(testMajors())("shared corpora on Postgres %s", (major) => {
  const databases: TestDatabase[] = [];
  afterAll(() => Promise.all(databases.map((d) => d.drop())));

  it.each(CORPORA)(
    "replays the $name history onto an empty database",
    { timeout: 180_000 },
    async (corpus) => {
      const db = await createTestDatabase(major);
      databases.push(db);
      const schema = `h_${corpus.name.replace(/\W/g, "")}`;
      const CORPUS = corpus.path;
      const started = performance.now();
      const result = await cli(
        ["up", CORPUS, "--unsafe", "--log-format", "json", "--history-schema", schema],
        db.url,
      );
      const seconds = (performance.now() - started) / 1000;
      const error = result.events.find((e) => e.event === "error");
      if ("failsBefore" in corpus && Number(major) < (corpus.failsBefore as number)) {
        expect(result.code).toBe(1);
        expect(error).toMatchObject({
          version: "005",
          line: 5,
          code: "42602",
          message: "invalid name syntax",
        });
        return;
      }
      expect(error).toBeUndefined();
      expect(result.code).toBe(0);
      const done = result.events.filter((e) => e.event === "migration-done");
      expect(done).toHaveLength(corpus.count);
      const steps = result.events.filter((e) => e.event === "step-done");
      const rewritten = steps.filter((e) => e.rewrittenFrom !== null).length;
      const gate = result.events.find((e) => e.event === "gate") as unknown as {
        passed: Array<{ reason: string }>;
      };
      const count = (reason: string) => gate.passed.filter((p) => p.reason === reason).length;
      console.log(
        `[corpus] ${corpus.name} on PG${major}: ${corpus.count} migrations, ${steps.length} steps (${rewritten} rewritten) in ${seconds.toFixed(1)}s; ` +
          `gate: ${count("rewrite")} resolved by rewrites, ${count("small-table")} small tables, ` +
          `${count("unsafe")} passed by --unsafe`,
      );

      const again = await cli(["up", CORPUS, "--history-schema", schema], db.url);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain("nothing to do");
      const status = await cli(
        ["status", CORPUS, "--check", "--format", "json", "--history-schema", schema],
        db.url,
      );
      expect(status.code).toBe(0);
      const states = new Set(JSON.parse(status.stdout).migrations.map((m: { state: string }) => m.state));
      expect([...states]).toEqual(["complete"]);
      const [invalid] = await db.sql`SELECT count(*)::int AS n FROM pg_index WHERE NOT indisvalid`;
      expect(invalid?.n).toBe(0);
    },
  );
});
