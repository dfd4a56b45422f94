/**
 * Plan of migrations-example (the README's first command) and the CLI: the JSON contract, the text
 * timeline, colours, exit codes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { palette } from "../../src/cli/io.js";
import { planPaint, renderPlanText } from "../../src/cli/reporters/plan-text.js";
import { plan } from "../../src/plan/plan.js";
import { planReport } from "../../src/plan/report.js";
import type { PlanResult } from "../../src/plan/result.js";
import { ensureBuilt, spawnCli } from "../cli/support.js";
import { runCli } from "../support/cli.js";
import { entry, migrationDir, type SharedShadow, sharedEmbeddedShadow } from "./helpers.js";

const ESC = "\u001b";

let shadow: SharedShadow;
let result: PlanResult;
beforeAll(async () => {
  shadow = await sharedEmbeddedShadow();
  result = await plan({ path: "migrations-example", openShadow: () => shadow.open() });
});
afterAll(() => shadow?.close());

/** Runs the CLI in-process without colours; returns exit code, stdout and stderr. */
function cli(args: string[], env: Record<string, string> = {}) {
  return runCli(args, { env: { NO_COLOR: "1", ...env } });
}

describe("plan of migrations-example", () => {
  it("plans every migration, each phase, every step traced and agreeing with the model", () => {
    expect(result.migrations.map((m) => `${m.version} ${m.phase}`)).toEqual([
      "001 expand",
      "002 expand",
      "003 expand",
      "004 expand",
      "005 expand",
      "006 expand",
      "007 expand",
      "007 contract",
    ]);
    const steps = result.migrations.flatMap((m) => m.steps);
    expect(steps.every((s) => s.traced)).toBe(true);
    expect(steps.flatMap((s) => s.disagreements)).toEqual([]);
    expect(result.shadow).toMatchObject({ engine: "pglite", replayed: 0, unavailable: null });
    expect(result.shadow?.serverVersion).toMatch(/^\d+\.\d+/);
  });

  it("shows a new table's lock as blocking nothing", () => {
    expect(entry(result, 1).steps).toMatchObject([
      { locks: [{ relation: "users", mode: "AccessExclusiveLock", existing: false }], blocks: "nothing" },
    ]);
    expect(entry(result, 1).steps[0]?.created).toEqual(expect.arrayContaining(["users", "users_pkey"]));
  });

  it("rewrites the unique index, the constraints and SET NOT NULL into their safe forms", () => {
    expect(entry(result, 3).steps.map((s) => s.sql)).toEqual([
      "CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);",
    ]);
    expect(entry(result, 4).steps.map((s) => [s.blocks, s.scan])).toEqual([
      ["reads+writes", false],
      ["nothing", true],
      ["reads+writes", false],
      ["nothing", true],
    ]);
  });

  it("runs the recipes' backfills as steps of their own, with no rewrite under a lock", () => {
    expect(entry(result, 5).steps.map((s) => [s.kind, s.rewrite])).toEqual([
      ["sql", false],
      ["backfill", false],
    ]);
    expect(entry(result, 6).steps.map((s) => s.kind)).toEqual(["sql", "backfill"]);
    const steps = result.migrations.flatMap((m) => m.steps);
    expect(steps.some((s) => s.rewrite)).toBe(false);
  });

  it("files the findings of each section under its phase", () => {
    expect(entry(result, 7).findings.map((f) => f.rule)).toContain("trigger-on-existing-table");
    expect(entry(result, 7, "contract").findings.map((f) => f.rule)).not.toContain(
      "trigger-on-existing-table",
    );
    expect(entry(result, 7, "contract").steps.map((s) => s.kind)).toEqual(["sql"]);
  });

  it("has the version 1 JSON shape, contract fields first", () => {
    const report = planReport(result);
    expect(Object.keys(report).slice(0, 2)).toEqual(["version", "migrations"]);
    const [m] = report.migrations;
    expect(Object.keys(m ?? {})).toEqual([
      "version",
      "name",
      "file",
      "phase",
      "steps",
      "findings",
      "unmodelled",
    ]);
    expect(Object.keys(m?.steps[0] ?? {}).slice(0, 9)).toEqual([
      "sql",
      "transaction",
      "locks",
      "blocks",
      "rewrite",
      "scan",
      "rewrittenFrom",
      "traced",
      "kind",
    ]);
    expect(m?.file).toBe("migrations-example/001_create_users.sql");
    expect(Object.keys(m?.steps[0]?.statements[0] ?? {})).toEqual([
      "sql",
      "locks",
      "rewrites",
      "created",
      "dropped",
      "createdObjects",
      "droppedObjects",
    ]);
    const finding = report.migrations.flatMap((x) => x.findings)[0];
    expect(Object.keys(finding ?? {})).toEqual([
      "rule",
      "severity",
      "category",
      "file",
      "line",
      "column",
      "endLine",
      "endColumn",
      "message",
      "help",
      "statement",
    ]);
  });

  it("renders a timeline: steps, was-lines, the strongest lock per migration, no colour when off", () => {
    const text = renderPlanText(result, planPaint(palette(false), false));
    expect(text).not.toContain(ESC);
    expect(text).toContain("003 unique_user_email (expand)");
    expect(text).toContain("was   CREATE UNIQUE INDEX users_email_key ON users (email)");
    expect(text).toContain("strongest lock: ShareUpdateExclusiveLock users, blocks nothing");
    expect(text).toContain("strongest lock: AccessExclusiveLock orders, blocks reads+writes");
    expect(text).toContain("AccessExclusiveLock users (new)");
    // In a step of several statements, where a lock on an existing table starts to be held.
    expect(text).toContain("ShareRowExclusiveLock users from statement 1 of 4");
    expect(text).toMatch(/7 migrations, 19 steps \(19 traced\)/);
  });

  it("colours lock modes by what they block", () => {
    const text = renderPlanText(result, planPaint(palette(true), true));
    expect(text).toContain("\u001b[32mShareUpdateExclusiveLock\u001b[39m");
    expect(text).toContain("\u001b[33mShareRowExclusiveLock\u001b[39m");
    expect(text).toContain(`${ESC}[31m${ESC}[1mAccessExclusiveLock`);
  });
});

describe("safemigrate plan (CLI)", () => {
  it("prints the JSON plan, emits timings on request, exits 0", async () => {
    const { code, stdout, stderr } = await cli(["plan", "--format", "json", "migrations-example"], {
      SAFEMIGRATE_TIMINGS: "1",
    });
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.version).toBe(1);
    expect(report.migrations).toHaveLength(8);
    expect(stderr).toMatch(
      /^safemigrate timings: start \d+ ms, replay \d+ ms, trace \d+ ms, render \d+ ms, cpu \d+ ms\n$/,
    );
  });

  it("exits 1 when a statement fails on Postgres, with github annotations", async () => {
    const dir = await migrationDir({
      "001_a.sql": "CREATE TABLE a (id int);",
      "002_b.sql": "ALTER TABLE b ADD COLUMN x int;",
      "003_c.sql": "CREATE INDEX b_x_idx ON b (x);",
    });
    try {
      const { code, stdout } = await cli(["plan", "--format", "github", "--no-shadow", dir.path]);
      expect(code).toBe(0);
      expect(stdout).not.toContain("fails-on-postgres");
      const traced = await cli(["plan", "--format", "github", dir.path]);
      expect(traced.code).toBe(1);
      expect(traced.stdout).toMatch(
        /^::error file=.*002_b\.sql,line=1,col=1,.*title=fails-on-postgres::.*relation "b" does not exist/m,
      );
      // One error: the index on b is a knock-on, and the text output names the failure it follows from.
      expect(traced.stdout.match(/title=fails-on-postgres/g)).toHaveLength(1);
      const text = await cli(["plan", dir.path]);
      expect(text.code).toBe(1);
      expect(text.stdout).toMatch(
        /not traced: caused by .*002_b\.sql:1 failing \(relation "b" does not exist\); here: relation "b" does not exist/,
      );
      expect(text.stdout).toMatch(/1 fail on Postgres$/m);
    } finally {
      await dir.remove();
    }
  });

  it("runs as a process, PGlite in its worker thread", () => {
    ensureBuilt();
    const { code, stdout } = spawnCli(["plan", "--format", "json", "migrations-example"], {
      env: { HOME: process.env.HOME ?? "" },
    });
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.migrations).toHaveLength(8);
    expect(report.summary).toMatchObject({ steps: 19, traced: 19, failures: 0 });
  });

  it("refuses a shadow URL that is not a postgres URL, without echoing it", async () => {
    const { code, stderr } = await cli([
      "plan",
      "--shadow-url",
      "mysql://u:secret@h/db",
      "migrations-example",
    ]);
    expect(code).toBe(2);
    expect(stderr).toBe("safemigrate: --shadow-url: not a valid postgres:// or postgresql:// URL\n");
  });
});
