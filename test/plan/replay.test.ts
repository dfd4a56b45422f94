/**
 * Plan replays the phases a database has applied as they ran there (rewritten, as written, or baselined),
 * and says when one fails to replay on the shadow: the planned steps that need what it built are untraced,
 * naming it as the cause.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lintMigrations } from "../../src/analysis/lint.js";
import { palette } from "../../src/cli/io.js";
import { planPaint, renderPlanText } from "../../src/cli/reporters/plan-text.js";
import { History } from "../../src/db/history.js";
import { discoverMigrations } from "../../src/migrations/discover.js";
import { plan } from "../../src/plan/plan.js";
import { selectPhases } from "../../src/plan/select.js";
import { stepHash } from "../../src/steps/step.js";
import { cli } from "../run/helpers.js";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { migrationDir, type SharedShadow, sharedEmbeddedShadow } from "./helpers.js";

const FILES = {
  "001_t.sql": "CREATE TABLE t (id int, v int);\nINSERT INTO t SELECT g, g FROM generate_series(1, 100) g;",
  "002_index.sql": "CREATE INDEX t_v_idx ON t (v);",
  "003_column.sql": "ALTER TABLE t ADD COLUMN w int;",
};

const databases: TestDatabase[] = [];
let dir: Awaited<ReturnType<typeof migrationDir>>;
let shadow: SharedShadow;

beforeAll(async () => {
  [dir, shadow] = await Promise.all([migrationDir(FILES), sharedEmbeddedShadow()]);
});
afterAll(async () => {
  await shadow?.close();
  await dir?.remove();
  await Promise.all(databases.map((d) => d.drop()));
});

/** The steps plan replays for 002 on a database that `args` brought up to 002. */
async function replayedIndexSteps(args: string[]) {
  const major = testMajors().at(-1) as string;
  const db = await createTestDatabase(major);
  databases.push(db);
  const applied = await cli([...args, dir.path, "--to", "002"], db.url);
  expect(applied.code).toBe(0);
  const history = new History("safemigrate");
  const [records, stepHashes] = await Promise.all([history.read(db.sql), history.readStepHashes(db.sql)]);
  const lint = lintMigrations((await discoverMigrations(dir.path)).migrations, { pgVersion: Number(major) });
  const selection = selectPhases(lint.files, {
    rewrite: true,
    pgVersion: Number(major),
    records,
    stepHashes,
  });
  expect(selection.planned.map((w) => w.file.file.migration.version)).toEqual(["003"]);
  const index = selection.replay.find((w) => w.file.file.migration.version === "002");
  return { steps: index?.steps ?? [], recorded: stepHashes.get("002/expand") ?? [] };
}

describe("applied phases replay as they ran", () => {
  it("through the safe rewrite when up ran it rewritten", async () => {
    const { steps, recorded } = await replayedIndexSteps(["up"]);
    expect(steps.map((s) => s.kind)).toEqual(["create-index-concurrently"]);
    expect(recorded).toEqual(steps.map(stepHash));
  });

  it("as written when up ran it with --no-rewrite", async () => {
    const { steps, recorded } = await replayedIndexSteps(["up", "--no-rewrite", "--unsafe"]);
    expect(steps.map((s) => s.kind)).toEqual(["sql"]);
    expect(steps[0]?.statements).toEqual(["CREATE INDEX t_v_idx ON t (v)"]);
    expect(recorded).toEqual(steps.map(stepHash));
  });

  it("as written when it was baselined (no steps recorded)", async () => {
    const { steps, recorded } = await replayedIndexSteps(["baseline"]);
    expect(recorded).toEqual([]);
    expect(steps.map((s) => s.kind)).toEqual(["sql"]);
  });
});

describe("an applied migration that fails to replay", () => {
  it("is named in the plan, and the planned steps that need what it built name it as their cause", async () => {
    const db = await createTestDatabase();
    databases.push(db);
    // `legacy` was made by hand on the server; the history starts at a migration that alters it.
    await db.sql`CREATE TABLE legacy (id int)`;
    const legacy = await migrationDir({
      "001_legacy.sql": "ALTER TABLE legacy ADD COLUMN note text;",
      "002_index.sql": "CREATE INDEX legacy_note_idx ON legacy (note);",
      "003_other.sql": "CREATE TABLE other (id int);",
    });
    try {
      expect((await cli(["baseline", legacy.path, "--to", "001"], db.url)).code).toBe(0);
      const result = await plan({ path: legacy.path, databaseUrl: db.url, openShadow: () => shadow.open() });
      expect(result.shadow?.replayFailures).toEqual([
        { where: expect.stringMatching(/001_legacy\.sql:1$/), message: 'relation "legacy" does not exist' },
      ]);
      const [index, other] = result.migrations;
      expect(index?.steps[0]?.reason).toMatch(
        /^not traced: caused by .*001_legacy\.sql:1 \(applied\) failing to replay \(relation "legacy" does not exist\); here: /,
      );
      // Not an error of the pending migrations: the history ran on the server.
      expect(index?.findings.map((f) => f.rule)).not.toContain("fails-on-postgres");
      expect(other?.steps[0]).toMatchObject({ traced: true });
      expect(renderPlanText(result, planPaint(palette(false), false))).toMatch(
        /^replay failed .*001_legacy\.sql:1 \(applied\): relation "legacy" does not exist$/m,
      );
    } finally {
      await legacy.remove();
    }
  });
});
