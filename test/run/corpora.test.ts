/**
 * Real migration histories from the shared corpus replay onto an empty database with --unsafe, with the safe
 * rewrites on: crates.io (285 diesel migrations), documenso (163 prisma ones), river (7 golang-migrate ones).
 * A second run finds nothing to do and status reports every migration complete. The same history replayed
 * as written (plain SQL, the owning tool's transactions) onto another database ends in the same catalog:
 * every rewrite on the way kept its meaning.
 */
import { afterAll, describe, expect, it } from "vitest";
import { catalogSnapshot } from "../support/catalog.js";
import { corpusMissing, corpusPath } from "../support/corpus.js";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { replayAsWritten } from "../support/replay.js";
import { cli, gateOf } from "./helpers.js";

const CORPORA = [
  { name: "crates.io", dir: "cratesio/migrations", count: 285 },
  { name: "documenso", dir: "documenso/migrations", count: 163 },
  // River's files carry a `/* TEMPLATE: schema */` placeholder that River substitutes; left in place, it sits
  // inside to_regclass('...') in 005, which raises "invalid name syntax" before Postgres 16 (16 returns NULL).
  { name: "river", dir: "river/main", count: 7, failsBefore: 16 },
].map((c) => ({ ...c, path: corpusPath(c.dir) }));

const missing = corpusMissing("the shared corpus replays (test/run/corpora.test.ts)");

describe.skipIf(missing !== null).each(testMajors())("shared corpora on Postgres %s", (major) => {
  const databases: TestDatabase[] = [];
  afterAll(() => Promise.all(databases.map((d) => d.drop())));

  it.each(CORPORA)(
    "replays the $name history onto an empty database",
    { timeout: 180_000 },
    async (corpus) => {
      const [db, plain] = await Promise.all([createTestDatabase(major), createTestDatabase(major)]);
      databases.push(db, plain);
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
      const gate = gateOf(result.events);
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

      expect(await replayAsWritten(plain.sql, CORPUS)).toBe(corpus.count);
      const after = await catalogSnapshot(db.sql, [schema]);
      const expected = await catalogSnapshot(plain.sql);
      const keys = Object.keys(expected) as Array<keyof typeof expected>;
      for (const key of keys) expect(after[key], `${corpus.name}: ${key}`).toEqual(expected[key]);
      console.log(
        `[corpus] ${corpus.name} on PG${major}: same catalog as the SQL as written (${keys.map((k) => `${expected[k].length} ${k}`).join(", ")})`,
      );
    },
  );
});
