/**
 * Plan with a live database (real server): only pending migrations, applied ones replayed on the shadow,
 * sizes and duration estimates, sessions that would block right now, INVALID indexes; and --shadow-url.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { palette } from "../../src/cli/io.js";
import { planPaint, renderPlanText } from "../../src/cli/reporters/plan-text.js";
import { History } from "../../src/db/history.js";
import { discoverMigrations } from "../../src/migrations/discover.js";
import { plan } from "../../src/plan/plan.js";
import type { PlanResult } from "../../src/plan/result.js";
import { openServerShadow } from "../../src/shadow/server.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";
import { migrationDir, type SharedShadow, sharedEmbeddedShadow } from "./helpers.js";

const FILES = {
  "001_users.sql": "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);",
  "002_token.sql": "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();",
  "003_email_index.sql": "CREATE INDEX users_email_idx ON users (email);",
};

let db: TestDatabase;
let dir: Awaited<ReturnType<typeof migrationDir>>;
let shadow: SharedShadow;

beforeAll(async () => {
  [db, dir, shadow] = await Promise.all([createTestDatabase(), migrationDir(FILES), sharedEmbeddedShadow()]);
  // 001 ran, with rows; its history row is what `up` (here: baseline) records.
  await db.sql.unsafe(FILES["001_users.sql"]);
  await db.sql`INSERT INTO users SELECT g, 'user' || (g % 100) || '@example.com' FROM generate_series(1, 20000) g`;
  await db.sql`ANALYZE users`;
  const [first] = (await discoverMigrations(dir.path)).migrations;
  if (!first) throw new Error("no migrations");
  const history = new History("safemigrate");
  await history.ensure(db.sql);
  await history.baseline(db.sql, { ...first, file: first.file.path });
  // A failed concurrent build (duplicate emails) leaves an INVALID index behind.
  await db.sql.unsafe("CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email)").catch(() => {});
});
afterAll(async () => {
  await shadow?.close();
  await dir?.remove();
  await db?.drop();
});

/** Holds a transaction open on its own connection, that ran `sql`, until release(). */
async function holdOpen(sql: string): Promise<{ pid: number; release(): Promise<void> }> {
  const conn = await db.sql.reserve();
  const [row] = await conn<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
  await conn.unsafe("BEGIN");
  await conn.unsafe(sql);
  return {
    pid: Number(row?.pid),
    release: async () => {
      await conn.unsafe("ROLLBACK");
      conn.release();
    },
  };
}

function livePlan(): Promise<PlanResult> {
  return plan({
    path: dir.path,
    databaseUrl: db.url,
    oldTransactionMs: 200,
    openShadow: () => shadow.open(),
  });
}

describe("live context", () => {
  it("plans the pending migrations only, lists blocking sessions and INVALID indexes", async () => {
    const reader = await holdOpen("SELECT count(*) FROM users");
    try {
      await new Promise((resolve) => setTimeout(resolve, 400));
      const result = await livePlan();
      expect(result.migrations.map((m) => m.version)).toEqual(["002", "003"]);
      expect(result.shadow?.replayed).toBe(1);
      expect(result.migrations.flatMap((m) => m.steps).every((s) => s.traced)).toBe(true);
      const live = result.live;
      expect(live?.serverVersion).toMatch(/^\d+/);
      expect(result.pgVersion).toBe(live?.major);
      expect(live?.applied).toBe(1);
      expect(live?.relations.users?.rows).toBe(20000);
      expect(live?.relations.users?.totalBytes).toBeGreaterThan(500_000);
      expect(live?.blockingSessions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            pid: reader.pid,
            reason: "old-transaction",
            state: "idle in transaction",
          }),
          expect.objectContaining({
            pid: reader.pid,
            reason: "holds-lock",
            relation: "users",
            mode: "AccessShareLock",
            query: "SELECT count(*) FROM users",
          }),
        ]),
      );
      expect(live?.invalidIndexes).toEqual([{ index: "users_email_key", table: "users" }]);
      // The rewrite and the index build get a duration from the live size.
      const [rewrite] = result.migrations[0]?.steps ?? [];
      expect(rewrite).toMatchObject({
        rewrite: true,
        estimate: { basis: expect.stringMatching(/^rewrites users \(/) },
      });
      const [build] = result.migrations[1]?.steps ?? [];
      expect(build?.estimate?.basis).toMatch(/^builds an index on users \(.*2 passes$/);
      const text = renderPlanText(result, planPaint(palette(false), false));
      expect(text).toMatch(/^database: Postgres \d+\S*, 1 migrations applied$/m);
      expect(text).toContain(`blocking pid ${reader.pid} (idle in transaction, `);
      expect(text).toContain("holds AccessShareLock on users: SELECT count(*) FROM users");
      expect(text).toContain("invalid index users_email_key on users");
      expect(text).toMatch(/rewrites the table · ~(under 1 s|\d+ s) \(rewrites users \(/);
    } finally {
      await reader.release();
    }
  });

  it("never queues behind an ACCESS EXCLUSIVE lock: sizes fall back to pg_class, the holder is listed", async () => {
    const locker = await holdOpen("LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
    try {
      const started = Date.now();
      const result = await livePlan();
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(result.live?.relations.users?.totalBytes).toBeGreaterThan(0);
      expect(result.live?.blockingSessions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ pid: locker.pid, reason: "holds-lock", mode: "AccessExclusiveLock" }),
        ]),
      );
    } finally {
      await locker.release();
    }
  });
});

describe("live context: data changes", () => {
  it("estimates an UPDATE, DELETE or INSERT ... SELECT that runs under a lock blocking traffic", async () => {
    const changes = await migrationDir({
      "001_users.sql": FILES["001_users.sql"],
      "002_status.sql": "ALTER TABLE users ADD COLUMN status text;\nUPDATE users SET status = 'new';",
      "003_prune.sql": "LOCK TABLE users IN SHARE MODE;\nDELETE FROM users WHERE id > 19000;",
      "004_one_row.sql": "UPDATE users SET email = email WHERE id = 1;",
      "005_copy.sql":
        "CREATE TABLE users_copy (id bigint, email text);\nLOCK TABLE users IN SHARE ROW EXCLUSIVE MODE;\n" +
        "INSERT INTO users_copy SELECT id, email FROM users;",
    });
    try {
      const result = await plan({ path: changes.path, databaseUrl: db.url, openShadow: () => shadow.open() });
      expect(result.migrations.map((m) => m.version)).toEqual(["002", "003", "004", "005"]);
      const [status, prune, oneRow, copy] = result.migrations.map((m) => m.steps);
      expect(status).toMatchObject([{ blocks: "reads+writes", rewrite: false, scan: false }]);
      expect(status?.[0]?.estimate?.basis).toMatch(
        /^updates users \(20000 rows, [\d.]+ (kB|MB)\) at 8\.0 MB\/s under the step's lock$/,
      );
      expect(status?.[0]?.estimate?.seconds).toBeGreaterThanOrEqual(0);
      expect(prune).toMatchObject([{ blocks: "writes" }]);
      expect(prune?.[0]?.estimate?.basis).toMatch(
        /^deletes at most all of users \(20000 rows, .*\) at 50 MB\/s/,
      );
      // Alone, an UPDATE takes ROW EXCLUSIVE, which blocks no traffic: no estimate.
      expect(oneRow).toMatchObject([{ blocks: "nothing", estimate: null }]);
      expect(copy?.[0]?.estimate?.basis).toMatch(
        /^inserts the rows it reads from users \(20000 rows, .*\) into users_copy at 25 MB\/s/,
      );
      const text = renderPlanText(result, planPaint(palette(false), false));
      expect(text).toMatch(/blocks reads\+writes · ~(under 1 s|\d+ s) \(updates users \(20000 rows, /);
    } finally {
      await changes.remove();
    }
  });
});

describe("live context with phases", () => {
  it("plans the contract phase of a migration whose expand phase ran, after replaying that", async () => {
    const phased = await migrationDir({
      "001_widgets.sql":
        "-- safemigrate:expand\nCREATE TABLE widgets (id int, old text);\nALTER TABLE widgets ADD COLUMN new text;\n" +
        "-- safemigrate:contract\nALTER TABLE widgets DROP COLUMN old;\n",
    });
    try {
      const [migration] = (await discoverMigrations(phased.path)).migrations;
      if (!migration) throw new Error("no migration");
      await db.sql.unsafe("CREATE TABLE widgets (id int, old text); ALTER TABLE widgets ADD COLUMN new text");
      const history = new History("h_phases");
      await history.ensure(db.sql);
      await history.phaseStarted(db.sql, { ...migration, file: migration.file.path }, "expand");
      await history.phaseDone(db.sql, migration.version, "expand", false);
      const result = await plan({
        path: phased.path,
        databaseUrl: db.url,
        historySchema: "h_phases",
        openShadow: () => shadow.open(),
      });
      expect(result.shadow?.replayed).toBe(1);
      expect(result.migrations.map((m) => m.phase)).toEqual(["contract"]);
      expect(result.migrations[0]?.steps).toMatchObject([
        { sql: "ALTER TABLE widgets DROP COLUMN old;", traced: true, blocks: "reads+writes" },
      ]);
    } finally {
      await db.sql.unsafe("DROP TABLE IF EXISTS widgets; DROP SCHEMA IF EXISTS h_phases CASCADE");
      await phased.remove();
    }
  });
});

describe("--shadow-url", () => {
  it("refuses a database that has tables", async () => {
    await expect(openServerShadow(db.url)).rejects.toThrow(
      /^--shadow-url: the database already has tables \(public\.users, safemigrate\.migrations, safemigrate\.steps\)/,
    );
  });

  it("traces on an empty database and leaves it empty", async () => {
    const empty = await createTestDatabase();
    try {
      const result = await plan({ path: dir.path, shadowUrl: empty.url });
      expect(result.shadow).toMatchObject({ engine: "postgres", unavailable: null });
      expect(result.migrations.flatMap((m) => m.steps).every((s) => s.traced)).toBe(true);
      const [rewrite] = result.migrations[1]?.steps ?? [];
      expect(rewrite).toMatchObject({
        rewrite: true,
        locks: [{ relation: "users", mode: "AccessExclusiveLock" }],
      });
      const left = await empty.sql`SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace`;
      expect(left).toEqual([]);
    } finally {
      await empty.drop();
    }
  });
});
