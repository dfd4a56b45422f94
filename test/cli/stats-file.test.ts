/**
 * `--stats-file` on the command line, without a database: the production sizes a CI job has, the errors
 * for a stale or malformed file (one line, exit 2), and `stats` without a database.
 */
import { describe, expect, it } from "vitest";
import { lint, type RuleSetting, UsageError } from "../../src/index.js";
import { runCli } from "../support/cli.js";
import { onlyRules, tempDir } from "./support.js";

const GB = 1024 ** 3;

function statsFile(generatedAt: string, tables: unknown[]): string {
  const file = { version: 1, generatedAt, database: "app", serverVersion: "16.4", major: 16 };
  const history = { schema: "safemigrate", migrations: [], steps: {} };
  return JSON.stringify({ ...file, tables, partitionedTables: [], history });
}

const TABLES = [
  {
    name: "orders",
    kind: "table",
    parent: null,
    rows: 350_000_000,
    totalBytes: 60 * GB,
    tableBytes: 41 * GB,
    indexes: [],
  },
  {
    name: "countries",
    kind: "table",
    parent: null,
    rows: 250,
    totalBytes: 65536,
    tableBytes: 40960,
    indexes: [],
  },
];

const MIGRATION = `CREATE INDEX orders_created_idx ON orders (created_at);
CREATE INDEX countries_name_idx ON countries (name);
`;

function project(stats: string, config: Record<string, unknown> = {}): string {
  const rules = onlyRules({ "create-index-non-concurrent": "error" });
  return tempDir({
    "safemigrate.config.json": JSON.stringify({ rules, ...config }),
    "001_indexes.sql": MIGRATION,
    "stats.json": stats,
  });
}

const recent = () => new Date(Date.now() - 3_600_000).toISOString();

describe("lint --stats-file", () => {
  it("says how long a build on a big table takes, and lets a small table's pass as info", async () => {
    const cwd = project(statsFile(recent(), TABLES));
    const result = await runCli(
      ["lint", "--stats-file", "stats.json", "--format", "json", "001_indexes.sql"],
      {
        cwd,
      },
    );
    expect(result.code).toBe(1);
    const { findings, summary } = JSON.parse(result.stdout);
    expect(findings.map((f: { severity: string }) => f.severity)).toEqual(["error", "info"]);
    expect(findings[0].message).toBe(
      "CREATE INDEX on existing table orders takes a SHARE lock that blocks writes until the index is built; with the sizes in stats.json it takes about 12 min (builds an index on orders (41 GB) at 60 MB/s)",
    );
    expect(findings[1].message).toMatch(
      /^small table \(countries: ~250 rows in stats\.json; smallTableRows 1000\): CREATE INDEX on existing table countries/,
    );
    expect(summary).toMatchObject({ errors: 1, infos: 1 });
  });

  it("takes statsFile from the config file (relative to it) and smallTableRows from the flag", async () => {
    const cwd = project(statsFile(recent(), TABLES), { statsFile: "stats.json" });
    const result = await runCli(["lint", "--small-table-rows", "100", "001_indexes.sql"], { cwd });
    expect(result.stdout).toContain("2 errors");
  });

  it("reads statsFile relative to the config file that names it, SAFEMIGRATE_STATS_FILE from the environment", async () => {
    const rules = onlyRules({ "create-index-non-concurrent": "error" });
    const cwd = tempDir({
      "ci/safemigrate.json": JSON.stringify({ rules, statsFile: "stats.json" }),
      "ci/stats.json": statsFile(recent(), TABLES),
      "001_indexes.sql": MIGRATION,
    });
    const fromConfig = await runCli(["lint", "--config", "ci/safemigrate.json", "001_indexes.sql"], { cwd });
    expect(fromConfig.stdout).toContain("with the sizes in ci/stats.json it takes about 12 min");
    const env = { SAFEMIGRATE_STATS_FILE: "ci/stats.json", SAFEMIGRATE_STATS_MAX_AGE: "2h" };
    const fromEnv = await runCli(["lint", "001_indexes.sql"], { cwd, env });
    expect(fromEnv.stdout).toContain("small table (countries: ~250 rows in ci/stats.json;");
  });

  it.each([
    [
      "older than statsMaxAge",
      statsFile("2020-01-01T00:00:00.000Z", TABLES),
      [],
      /^safemigrate: stats\.json: generated \d+\.\d days ago \(2020-01-01T00:00:00\.000Z\), older than statsMaxAge 7d: export it again with safemigrate stats\n$/,
    ],
    [
      "older than --stats-max-age",
      statsFile(new Date(Date.now() - 3 * 3_600_000).toISOString(), TABLES),
      ["--stats-max-age", "2h"],
      /^safemigrate: stats\.json: generated 3\.0 h ago .*older than statsMaxAge 2h: /,
    ],
    ["not JSON", "{ version: 1", [], /^safemigrate: stats\.json: invalid JSON: [^\n]+\n$/],
    [
      "of another version",
      JSON.stringify({ version: 2 }),
      [],
      /^safemigrate: stats\.json: version: expected 1 \(a stats file written by safemigrate stats\), got 2\n$/,
    ],
    [
      "with a field of the wrong type",
      statsFile(recent(), [{ ...TABLES[0], totalBytes: "60 GB" }]),
      [],
      /^safemigrate: stats\.json: tables\[0\]\.totalBytes: expected a number >= 0 or null, got '60 GB'\n$/,
    ],
  ])("refuses a stats file %s: one line, exit 2", async (_name, text, flags, stderr) => {
    const cwd = project(text);
    const result = await runCli(["lint", "--stats-file", "stats.json", ...flags, "001_indexes.sql"], { cwd });
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toMatch(stderr);
  });
});

describe("the programmatic API with a stats file", () => {
  it("lint takes statsFile, smallTableRows and statsMaxAge as the command line does", async () => {
    const cwd = project(statsFile(recent(), TABLES));
    const rules = onlyRules({ "create-index-non-concurrent": "error" }) as Record<string, RuleSetting>;
    const report = await lint(["001_indexes.sql"], { cwd, rules, statsFile: "stats.json" });
    expect(report.findings.map((f) => f.severity)).toEqual(["error", "info"]);
    const strict = await lint(["001_indexes.sql"], {
      cwd,
      rules,
      statsFile: "stats.json",
      smallTableRows: 10,
    });
    expect(strict.summary.errors).toBe(2);
    await expect(
      lint(["001_indexes.sql"], { cwd, rules, statsFile: "stats.json", statsMaxAge: "10min" }),
    ).rejects.toThrow(UsageError);
  });
});

describe("plan --stats-file", () => {
  it("shows the estimate from the file without a database", async () => {
    const cwd = project(statsFile(recent(), TABLES));
    const result = await runCli(["plan", "--no-shadow", "--stats-file", "stats.json", "."], { cwd });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toContain("rules for Postgres 16");
    expect(result.stdout).toMatch(
      /^stats file: stats\.json \(database app, Postgres 16\.4, exported \S+, 0 migrations applied\)$/m,
    );
    expect(result.stdout).toContain("  orders: ~350,000,000 rows, 60 GB\n");
    expect(result.stdout).toContain("(builds an index on orders (41 GB) at 60 MB/s, 2 passes)");
  });

  it("refuses a stats file together with a database, without echoing the URL", async () => {
    const cwd = project(statsFile(recent(), TABLES));
    const url = "postgres://app:s3cret@db.internal:5432/app";
    const args = ["plan", "--no-shadow", "--stats-file", "stats.json", "--database-url", url, "."];
    const result = await runCli(args, { cwd });
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toBe(
      "safemigrate: plan: a stats file and a database were both given: the sizes come from one (drop --stats-file or --database-url)\n",
    );
  });
});

describe("stats", () => {
  it("needs a database", async () => {
    const result = await runCli(["stats"], { cwd: tempDir() });
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: "safemigrate: no database: pass --database-url or set DATABASE_URL\n",
    });
  });
});
