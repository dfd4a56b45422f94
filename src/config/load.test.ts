import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { envName, flagName, loadConfig } from "./load.js";
import { DEFAULTS } from "./schema.js";

function dir(files: Record<string, unknown> = {}): string {
  const cwd = mkdtempSync(join(tmpdir(), "safemigrate-config-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(cwd, name, ".."), { recursive: true });
    writeFileSync(join(cwd, name), typeof content === "string" ? content : JSON.stringify(content));
  }
  return cwd;
}

describe("loadConfig", () => {
  it("gives the defaults when nothing is set", () => {
    const config = loadConfig({ cwd: dir(), env: {} });
    expect(config).toEqual({ ...DEFAULTS, rules: {} });
    expect(config).toMatchObject({
      pgVersion: 14,
      historySchema: "safemigrate",
      lockTimeout: 1000,
      statementTimeout: 900_000,
      maxRetries: 30,
      retryBaseDelay: 500,
      retryMaxDelay: 30_000,
      wait: 600_000,
      smallTableRows: 1000,
      format: "text",
    });
  });

  it("layers defaults < file < environment < flags", () => {
    const cwd = dir({
      "safemigrate.config.json": { pgVersion: 12, lockTimeout: "3s", maxRetries: 5, format: "json" },
    });
    const env = { SAFEMIGRATE_PG_VERSION: "13", SAFEMIGRATE_LOCK_TIMEOUT: "4s" };
    const config = loadConfig({ cwd, env, flags: { pgVersion: "16" } });
    expect(config).toMatchObject({ pgVersion: 16, lockTimeout: 4000, maxRetries: 5, format: "json" });
  });

  it("merges rule settings per rule across layers", () => {
    const cwd = dir({ "safemigrate.config.json": { rules: { "drop-column": "off", truncate: "warning" } } });
    const config = loadConfig({
      cwd,
      env: { SAFEMIGRATE_RULES: "truncate=error" },
      flags: { rules: ["prefer-text=off"] },
    });
    expect(config.rules).toEqual({ "drop-column": "off", truncate: "error", "prefer-text": "off" });
  });

  it("reads the safemigrate key of package.json when there is no config file", () => {
    const cwd = dir({ "package.json": { name: "app", safemigrate: { layout: "goose" } } });
    expect(loadConfig({ cwd, env: {} }).layout).toBe("goose");
    expect(loadConfig({ cwd: dir({ "package.json": { name: "app" } }), env: {} }).layout).toBeUndefined();
  });

  it("prefers safemigrate.config.json, and --config over both", () => {
    const cwd = dir({
      "package.json": { safemigrate: { pgVersion: 11 } },
      "safemigrate.config.json": { pgVersion: 12 },
      "ci/other.json": { pgVersion: 13, migrationsDir: "../db" },
    });
    expect(loadConfig({ cwd, env: {} }).pgVersion).toBe(12);
    const other = loadConfig({ cwd, env: {}, configPath: "ci/other.json" });
    expect(other.pgVersion).toBe(13);
    // Paths in a config file are relative to the file.
    expect(other.migrationsDir).toBe("db");
    expect(loadConfig({ cwd, env: {}, configPath: false }).pgVersion).toBe(14);
  });

  it("skips comment keys (starting with //) at the top and in rules", () => {
    const cwd = dir({
      "safemigrate.config.json": {
        "//": "what this file is",
        "// pgVersion": "the major version production runs",
        pgVersion: 16,
        rules: { "// why": "dropping columns is reviewed by hand", "drop-column": "off" },
      },
    });
    const config = loadConfig({ cwd, env: {} });
    expect(config).toMatchObject({ pgVersion: 16, rules: { "drop-column": "off" } });
    expect(Object.keys(config.rules)).toEqual(["drop-column"]);
  });

  it("takes DATABASE_URL, and SAFEMIGRATE_DATABASE_URL over it", () => {
    const cwd = dir();
    expect(loadConfig({ cwd, env: { DATABASE_URL: "postgres://a@h/d" } }).databaseUrl).toBe(
      "postgres://a@h/d",
    );
    const both = { DATABASE_URL: "postgres://a@h/d", SAFEMIGRATE_DATABASE_URL: "postgresql://b@h/d" };
    expect(loadConfig({ cwd, env: both }).databaseUrl).toBe("postgresql://b@h/d");
  });

  it("ignores empty environment variables", () => {
    expect(loadConfig({ cwd: dir(), env: { SAFEMIGRATE_PG_VERSION: "" } }).pgVersion).toBe(14);
  });

  it("treats --max-warnings -1 as no limit", () => {
    const cwd = dir({ "safemigrate.config.json": { maxWarnings: 3 } });
    expect(loadConfig({ cwd, env: {} }).maxWarnings).toBe(3);
    expect(loadConfig({ cwd, env: {}, flags: { maxWarnings: "-1" } }).maxWarnings).toBeUndefined();
  });

  it("rejects bad input with one line naming where it came from", () => {
    const cases: Array<[Parameters<typeof loadConfig>[0], string]> = [
      [
        { cwd: dir({ "safemigrate.config.json": { color: true } }) },
        "safemigrate.config.json: color: unknown key",
      ],
      [
        { cwd: dir({ "safemigrate.config.json": { pgVersion: "fourteen" } }) },
        "safemigrate.config.json: pgVersion: expected an integer >= 9, got 'fourteen'",
      ],
      [
        { cwd: dir({ "safemigrate.config.json": { rules: { "drop-colum": "off" } } }) },
        "safemigrate.config.json: rules.drop-colum: unknown rule 'drop-colum' (did you mean drop-column?)",
      ],
      [
        { cwd: dir({ "safemigrate.config.json": { rules: { "drop-column": "ignore" } } }) },
        "safemigrate.config.json: rules.drop-column: expected off, note, warning or error, got 'ignore'",
      ],
      [
        { cwd: dir({ "package.json": { safemigrate: { layout: "rails" } } }) },
        "package.json: safemigrate: layout: expected one of plain, flyway, golang-migrate, goose, dbmate, diesel, prisma, pop, drizzle-kit, node-pg-migrate, graphile-migrate, atlas, sqitch, got 'rails'",
      ],
      [{ cwd: dir({ "safemigrate.config.json": "[1]" }) }, "safemigrate.config.json: expected a JSON object"],
      [{ cwd: dir(), configPath: "missing.json" }, "cannot read missing.json: no such file"],
      [{ cwd: dir(), env: { SAFEMIGRATE_WAIT: "forever" } }, "SAFEMIGRATE_WAIT: 'forever' is not a duration"],
      [
        { cwd: dir(), flags: { format: "xml" } },
        "--format: expected one of text, json, github, gitlab, sarif, got 'xml'",
      ],
      [
        { cwd: dir(), flags: { rules: ["truncate"] } },
        "--rule: expected <rule>=<off|note|warning|error>, got 'truncate'",
      ],
    ];
    for (const [options, message] of cases) {
      let error: unknown;
      try {
        loadConfig({ env: {}, ...options });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message.slice(0, message.length)).toBe(message);
      expect((error as Error).message).not.toContain("\n");
    }
    expect(() => loadConfig({ cwd: dir({ "safemigrate.config.json": "{ bad" }), env: {} })).toThrow(
      /^safemigrate\.config\.json: invalid JSON: /,
    );
  });

  it("never echoes a connection URL it rejects", () => {
    const env = { DATABASE_URL: "mysql://root:hunter2@db/app" };
    expect(() => loadConfig({ cwd: dir(), env })).toThrow(/^DATABASE_URL: not a valid postgres/);
    try {
      loadConfig({ cwd: dir(), env });
    } catch (error) {
      expect(String(error)).not.toContain("hunter2");
    }
  });
});

describe("names", () => {
  it("derives environment variables and flags from keys", () => {
    expect(envName("pgVersion")).toBe("SAFEMIGRATE_PG_VERSION");
    expect(envName("retryBaseDelay")).toBe("SAFEMIGRATE_RETRY_BASE_DELAY");
    expect(flagName("smallTableRows")).toBe("--small-table-rows");
  });
});
