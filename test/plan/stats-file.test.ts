/**
 * The stats file on a real server: what `safemigrate stats` exports (tables with data, never analysed,
 * partitioned, in another schema; indexes, an INVALID one), and that plan and lint with the file give the
 * estimates a plan with --database-url gives on the same database.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lintSources } from "../../src/api/lint.js";
import { palette } from "../../src/cli/io.js";
import { planPaint, renderPlanText } from "../../src/cli/reporters/plan-text.js";
import { History } from "../../src/db/history.js";
import { readStats, type StatsFile } from "../../src/db/stats.js";
import { stats as statsApi } from "../../src/index.js";
import { discoverMigrations } from "../../src/migrations/discover.js";
import { formatBytes } from "../../src/plan/estimate.js";
import { plan } from "../../src/plan/plan.js";
import { validateStats } from "../../src/plan/stats-file.js";
import { runCli } from "../support/cli.js";
import { createTestDatabase, type TestDatabase, testMajors } from "../support/postgres.js";
import { migrationDir, type SharedShadow, sharedEmbeddedShadow } from "./helpers.js";

const NO_AUTOVACUUM = "WITH (autovacuum_enabled = off)";

const SCHEMA = `CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, total numeric NOT NULL, note text) ${NO_AUTOVACUUM};
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE TABLE tiny (id int PRIMARY KEY, name text) ${NO_AUTOVACUUM};
CREATE TABLE fresh (id int) ${NO_AUTOVACUUM};
CREATE TABLE measurements (at date NOT NULL, value int) PARTITION BY RANGE (at);
CREATE TABLE measurements_2025 PARTITION OF measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') ${NO_AUTOVACUUM};
CREATE TABLE measurements_2026 PARTITION OF measurements FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') ${NO_AUTOVACUUM};
CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id bigint PRIMARY KEY) ${NO_AUTOVACUUM};`;

const FILES = {
  "001_schema.sql": SCHEMA,
  "002_changes.sql": `CREATE INDEX orders_total_idx ON orders (total);
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total > 0);
ALTER TABLE orders ALTER COLUMN note TYPE varchar(200);
ALTER TABLE tiny ALTER COLUMN name TYPE varchar(20);
`,
};

let dir: Awaited<ReturnType<typeof migrationDir>>;
let shadow: SharedShadow;
let out: string;

beforeAll(async () => {
  [dir, shadow, out] = await Promise.all([
    migrationDir(FILES),
    sharedEmbeddedShadow(),
    mkdtemp(join(tmpdir(), "safemigrate-stats-")),
  ]);
});
afterAll(async () => {
  await shadow?.close();
  await dir?.remove();
  await rm(out, { recursive: true, force: true });
});

describe.each(testMajors())("stats file on Postgres %s", (major) => {
  let db: TestDatabase;
  let stats: StatsFile;
  let file: string;

  beforeAll(async () => {
    db = await createTestDatabase(major);
    await db.sql.unsafe(SCHEMA);
    await db.sql.unsafe(`
      INSERT INTO orders SELECT g, g % 500, g * 1.5, 'order ' || g FROM generate_series(1, 20000) g;
      INSERT INTO tiny SELECT g, 'name ' || g FROM generate_series(1, 10) g;
      INSERT INTO measurements SELECT date '2025-01-01' + (g % 700), g FROM generate_series(1, 5000) g;
      INSERT INTO billing.invoices SELECT g FROM generate_series(1, 300) g;`);
    // VACUUM as well: it writes the visibility map and free space map, so that sizes stay put.
    for (const t of ["orders", "tiny", "measurements_2025", "measurements_2026", "billing.invoices"])
      await db.sql.unsafe(`VACUUM ANALYZE ${t}`);
    await db.sql.unsafe("ANALYZE measurements");
    // A failed concurrent build (duplicate customers) leaves an INVALID index behind.
    await db.sql
      .unsafe("CREATE UNIQUE INDEX CONCURRENTLY orders_customer_key ON orders (customer_id)")
      .catch(() => {});
    // 001 ran (baselined, as `up` records it): plan, live or from the file, replays it and plans 002.
    const [first] = (await discoverMigrations(dir.path)).migrations;
    if (!first) throw new Error("no migrations");
    const history = new History("safemigrate");
    await history.ensure(db.sql);
    await history.baseline(db.sql, { ...first, file: first.file.path });
    file = join(out, `stats-${major}.json`);
    const result = await runCli(["stats", "--database-url", db.url, "-o", file]);
    expect(result).toMatchObject({ code: 0, stdout: "" });
    expect(result.stderr).toMatch(
      new RegExp(
        `^safemigrate: wrote ${file}: 9 tables, \\d+ indexes of database ${db.name} \\(Postgres ${major}\\S*\\)\\n$`,
      ),
    );
    stats = validateStats(JSON.parse(await readFile(file, "utf8")), file);
  });
  afterAll(() => db?.drop());

  it("exports each table's row estimate, sizes, indexes and partitions, without host or password", async () => {
    const text = await readFile(file, "utf8");
    const url = new URL(db.url);
    expect(text).not.toContain(decodeURIComponent(url.password));
    expect(text).not.toContain(`"${url.hostname}"`);
    expect(stats).toMatchObject({ version: 1, database: db.name, major: Number(major) });
    expect(stats.serverVersion).toMatch(new RegExp(`^${major}\\b`));
    expect(Date.now() - Date.parse(stats.generatedAt)).toBeLessThan(10 * 60_000);
    const byName = Object.fromEntries(stats.tables.map((t) => [t.name, t]));
    expect(Object.keys(byName).filter((n) => !n.startsWith("safemigrate."))).toEqual([
      "billing.invoices",
      "fresh",
      "measurements",
      "measurements_2025",
      "measurements_2026",
      "orders",
      "tiny",
    ]);
    const orders = byName.orders;
    expect(orders).toMatchObject({ kind: "table", parent: null, rows: 20000 });
    expect(orders?.tableBytes).toBeGreaterThan(500_000);
    expect(orders?.totalBytes).toBeGreaterThan(orders?.tableBytes as number);
    expect(orders?.indexes.map((i) => [i.name, i.valid])).toEqual([
      ["orders_customer_idx", true],
      ["orders_customer_key", false],
      ["orders_pkey", true],
    ]);
    expect(orders?.indexes[0]?.definition).toBe(
      "CREATE INDEX orders_customer_idx ON public.orders USING btree (customer_id)",
    );
    expect(orders?.indexes[0]?.bytes).toBeGreaterThan(100_000);
    // Never analysed: the row estimate is unknown, not 0.
    expect(byName.fresh).toMatchObject({ rows: null, indexes: [] });
    expect(byName.measurements).toMatchObject({ kind: "partitioned table", parent: null });
    expect(byName.measurements_2025).toMatchObject({ kind: "table", parent: "measurements" });
    expect(byName["billing.invoices"]).toMatchObject({ rows: 300 });
    expect(byName["billing.invoices"]?.indexes.map((i) => i.name)).toEqual(["billing.invoices_pkey"]);
    expect(stats.partitionedTables).toEqual([
      {
        table: "measurements",
        key: ["at"],
        partitions: ["measurements_2025", "measurements_2026"],
        notNull: ["at"],
      },
    ]);
    expect(stats.history).toEqual({
      schema: "safemigrate",
      migrations: [
        {
          version: "001",
          name: "schema",
          // A baseline records the phases as complete without having started them.
          expandStartedAt: null,
          expandCompletedAt: expect.any(String),
          contractCompletedAt: expect.any(String),
          rollbackStartedAt: null,
        },
      ],
      steps: {},
    });
  });

  it("never waits behind an ACCESS EXCLUSIVE lock: that table's size comes from pg_class", async () => {
    const conn = await db.sql.reserve();
    try {
      await conn.unsafe("BEGIN");
      await conn.unsafe("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
      const locked = await readStats(db.sql, "safemigrate");
      const byName = Object.fromEntries(locked.tables.map((t) => [t.name, t]));
      const [pages] = await db.sql<{ bytes: string }[]>`
        SELECT (relpages::int8 * current_setting('block_size')::int8)::text AS bytes
        FROM pg_class WHERE relname = 'orders'`;
      expect(byName.orders).toMatchObject({
        rows: 20000,
        tableBytes: Number(pages?.bytes),
        totalBytes: Number(pages?.bytes),
      });
      // Reading its indexes' definitions would wait too; their sizes need no lock on the table.
      expect(byName.orders?.indexes.map((i) => i.definition)).toEqual([null, null, null]);
      expect(byName.orders?.indexes.map((i) => i.bytes)).toEqual(
        stats.tables.find((t) => t.name === "orders")?.indexes.map((i) => i.bytes),
      );
      // The others are measured as usual.
      const tiny = stats.tables.find((t) => t.name === "tiny");
      expect(byName.tiny).toEqual(tiny);
    } finally {
      await conn.unsafe("ROLLBACK");
      conn.release();
    }
  });

  it("is one line when the role may not read the history", async () => {
    const role = `${db.name}_reader`;
    await db.sql.unsafe(`CREATE ROLE ${role} LOGIN PASSWORD 'p4ss-w0rd'`);
    try {
      await db.sql.unsafe(`GRANT USAGE ON SCHEMA safemigrate TO ${role}`);
      const url = new URL(db.url);
      url.username = role;
      url.password = "p4ss-w0rd";
      const result = await runCli(["stats", "--database-url", url.toString()]);
      expect(result).toMatchObject({ code: 2, stdout: "" });
      expect(result.stderr).toMatch(
        new RegExp(
          `^safemigrate: stats: [^,]+:\\d+, database "${db.name}": permission denied for table migrations\\n$`,
        ),
      );
    } finally {
      await db.sql.unsafe(`REVOKE ALL ON SCHEMA safemigrate FROM ${role}`);
      await db.sql.unsafe(`DROP ROLE ${role}`);
    }
  });

  it("writes the same file to standard output without -o, and the API returns it", async () => {
    const result = await runCli(["stats", "--database-url", db.url]);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    const again = validateStats(JSON.parse(result.stdout), "stdout");
    expect({ ...again, generatedAt: stats.generatedAt }).toEqual(stats);
    // And from the programmatic API.
    const fromApi = await statsApi({ databaseUrl: db.url });
    expect({ ...fromApi, generatedAt: stats.generatedAt }).toEqual(stats);
  });

  it("plan --stats-file gives the sizes and estimates plan --database-url gives", async () => {
    const options = { path: dir.path, openShadow: () => shadow.open() };
    const live = await plan({ ...options, databaseUrl: db.url });
    const offline = await plan({ ...options, statsFile: file });
    expect(offline.live).toBeNull();
    expect(offline.pgVersion).toBe(Number(major));
    // The history in the file: 001 is replayed on the shadow, 002 planned, as with the database.
    expect(offline.migrations.map((m) => m.version)).toEqual(["002"]);
    expect(live.migrations.map((m) => m.version)).toEqual(["002"]);
    expect(offline.shadow?.replayed).toBe(1);
    expect(offline.stats).toMatchObject({
      file,
      database: db.name,
      serverVersion: live.live?.serverVersion,
      major: Number(major),
      applied: 1,
      relations: live.live?.relations,
      invalidIndexes: [{ index: "orders_customer_key", table: "orders" }],
    });
    expect(offline.stats?.invalidIndexes).toEqual(live.live?.invalidIndexes);
    const estimates = (r: typeof live) => r.migrations.flatMap((m) => m.steps.map((s) => s.estimate));
    expect(estimates(offline)).toEqual(estimates(live));
    const bases = estimates(offline).flatMap((e) => (e ? [e.basis] : []));
    expect(bases).toEqual([
      expect.stringMatching(/^builds an index on orders \(\d+(\.\d)? [kM]B\) at 60 MB\/s, 2 passes$/),
      expect.stringMatching(/^scans orders \(\d+(\.\d)? [kM]B\) at 150 MB\/s$/),
      expect.stringMatching(/^rewrites orders \(\d+(\.\d)? [kM]B\), tiny \(\d+ kB\) at 40 MB\/s$/),
    ]);
    const text = renderPlanText(offline, planPaint(palette(false), false));
    expect(text).toContain(
      `stats file: ${file} (database ${db.name}, Postgres ${stats.serverVersion}, exported ${stats.generatedAt}, 1 migrations applied)\n  orders: ~20,000 rows, `,
    );
    expect(text).toContain("invalid index orders_customer_key on orders");
  });

  it("lint --stats-file: estimates on big tables, small tables as info", async () => {
    const run = await lintSources([dir.path], { pgVersion: 14, statsFile: file });
    // The sizes a live plan reads from the same database.
    const orders = (await plan({ path: dir.path, databaseUrl: db.url, trace: false })).live?.relations.orders;
    const byRule = (rule: string) => run.findings.filter((f) => f.rule === rule);
    const [index] = byRule("create-index-non-concurrent");
    expect(index?.severity).toBe("error");
    expect(index?.message).toContain(
      `until the index is built; with the sizes in ${file} it takes under 1 s (builds an index on orders (${formatBytes(orders?.tableBytes as number)}) at 60 MB/s)`,
    );
    const types = byRule("column-type-change");
    expect(types.map((f) => f.severity)).toEqual(["error", "info"]);
    expect(types[0]?.message).toMatch(
      /; with the sizes in .* it takes under 1 s \(rewrites orders \((\d|\.)+ [kM]B\) at 40 MB\/s\)$/,
    );
    expect(types[0]?.message).toContain(`(rewrites orders (${formatBytes(orders?.totalBytes as number)})`);
    expect(types[1]?.message).toMatch(
      new RegExp(`^small table \\(tiny: ~10 rows in ${file}; smallTableRows 1000\\): `),
    );
    expect(run.summary.infos).toBeGreaterThanOrEqual(1);
  });
});
