import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { project, SAFE_SQL, UNSAFE_INDEX } from "./support.js";

const FINDING_KEYS = [
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
];

describe("lint exit codes", () => {
  it("exits 0 without findings", async () => {
    const cwd = project({ "001_ok.sql": `${SAFE_SQL}\n` });
    const result = await runCli(["lint", "001_ok.sql"], { cwd });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toBe("0 errors, 0 warnings in 1 file (1 statement)\n");
  });

  it("exits 1 on an error-level finding", async () => {
    const cwd = project({ "001_idx.sql": `${UNSAFE_INDEX}\n` });
    const result = await runCli(["lint", "001_idx.sql"], { cwd });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("001_idx.sql:1:1  error  create-index-non-concurrent  ");
    expect(result.stdout).toContain("1 error, 0 warnings in 1 file (1 statement)");
  });

  it("exits 0 on warnings only, 1 above --max-warnings", async () => {
    const cwd = project(
      { "001_idx.sql": `${UNSAFE_INDEX}\n${UNSAFE_INDEX.replace("email", "name")}\n` },
      "warning",
    );
    expect((await runCli(["lint", "001_idx.sql"], { cwd })).code).toBe(0);
    expect((await runCli(["lint", "--max-warnings", "2", "001_idx.sql"], { cwd })).code).toBe(0);
    const over = await runCli(["lint", "--max-warnings", "1", "001_idx.sql"], { cwd });
    expect(over.code).toBe(1);
    expect(over.stderr).toBe("safemigrate: 2 warnings, more than --max-warnings 1\n");
    expect((await runCli(["lint", "--max-warnings", "-1", "001_idx.sql"], { cwd })).code).toBe(0);
  });

  it("--rule overrides a rule's severity", async () => {
    const cwd = project({ "001_idx.sql": `${UNSAFE_INDEX}\n` });
    const result = await runCli(["lint", "--rule", "create-index-non-concurrent=off", "001_idx.sql"], {
      cwd,
    });
    expect(result.code).toBe(0);
  });

  it("exits 2 with one line for a missing path, an unknown flag or no path", async () => {
    const cwd = project({});
    const missing = await runCli(["lint", "nope.sql"], { cwd });
    expect(missing).toEqual({
      code: 2,
      stdout: "",
      stderr: "safemigrate: cannot read nope.sql: no such file or directory\n",
    });
    const flag = await runCli(["lint", "--bogus", "x.sql"], { cwd });
    expect(flag).toMatchObject({ code: 2, stderr: "safemigrate: unknown option '--bogus'\n" });
    const none = await runCli(["lint"], { cwd });
    expect(none.code).toBe(2);
    expect(none.stderr.split("\n")).toHaveLength(2);
    const badValue = await runCli(["lint", "--pg-version", "x", "."], { cwd });
    expect(badValue).toMatchObject({
      code: 2,
      stderr: "safemigrate: --pg-version: expected an integer >= 9, got 'x'\n",
    });
  });
});

describe("lint inputs", () => {
  it("reads - from stdin", async () => {
    const cwd = project({});
    const result = await runCli(["lint", "--format", "json", "-"], { cwd, stdin: `${UNSAFE_INDEX}\n` });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.findings[0].file).toBe("<stdin>");
  });

  it("lints a directory in its layout's order, and each directory as its own history", async () => {
    const cwd = project({
      "a/001_create.sql": "CREATE TABLE users (id bigint, email text);\n",
      "a/002_index.sql": `${UNSAFE_INDEX}\n`,
      "b/001_index.sql": `${UNSAFE_INDEX}\n`,
    });
    // In a/ the table comes from an earlier migration: it exists, the index build blocks writes. In b/
    // it is unknown, so it exists too; a's CREATE TABLE does not leak into b.
    const result = await runCli(["lint", "--format", "json", "a", "b"], { cwd });
    const report = JSON.parse(result.stdout);
    expect(report.summary).toEqual({
      files: 3,
      statements: 3,
      errors: 2,
      warnings: 0,
      unmodelled: 0,
      infos: 0,
      notes: 0,
    });
    expect(report.findings.map((f: { file: string }) => f.file)).toEqual([
      "a/002_index.sql",
      "b/001_index.sql",
    ]);
  });

  it("lints loose files given together as one history, in the order given", async () => {
    const cwd = project({
      "001_create.sql": "CREATE TABLE users (id bigint, email text);\n",
      "002_index.sql": `${UNSAFE_INDEX}\n`,
    });
    // Given in this order, the table is created in an earlier migration of the same history.
    const inOrder = JSON.parse(
      (await runCli(["lint", "--format", "json", "001_create.sql", "002_index.sql"], { cwd })).stdout,
    );
    expect(inOrder.summary.errors).toBe(1);
    expect(inOrder.summary.files).toBe(2);
  });

  it("uses migrationsDir from the config when no path is given", async () => {
    const cwd = project({ "db/migrations/001_idx.sql": `${UNSAFE_INDEX}\n` });
    const result = await runCli(["lint"], { cwd, env: { SAFEMIGRATE_MIGRATIONS_DIR: "db/migrations" } });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("db/migrations/001_idx.sql:1:1");
  });
});

describe("lint formats", () => {
  it("json: exactly the version 1 contract", async () => {
    const cwd = project({ "001_idx.sql": `-- comment\n${UNSAFE_INDEX}\n` });
    const result = await runCli(["lint", "--format", "json", "001_idx.sql"], { cwd });
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual(["version", "findings", "summary", "notices"]);
    expect(report.notices).toEqual([]);
    expect(report.version).toBe(1);
    // The version 1 fields first, in their order; the counts added since after them.
    expect(Object.keys(report.summary)).toEqual([
      "files",
      "statements",
      "errors",
      "warnings",
      "unmodelled",
      "infos",
      "notes",
    ]);
    expect(Object.keys(report.findings[0])).toEqual(FINDING_KEYS);
    expect(report.findings[0]).toMatchObject({
      rule: "create-index-non-concurrent",
      severity: "error",
      category: "lock",
      file: "001_idx.sql",
      line: 2,
      column: 1,
      endLine: 2,
      endColumn: UNSAFE_INDEX.length,
      statement: UNSAFE_INDEX.slice(0, -1),
    });
  });

  it("github: one workflow command per finding", async () => {
    const cwd = project({ "001,a:b.sql": `${UNSAFE_INDEX}\n` }, "warning");
    const result = await runCli(["lint", "--format", "github", "001,a:b.sql"], { cwd });
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^::warning file=001%2Ca%3Ab\.sql,line=1,col=1,endLine=1,endColumn=46,title=create-index-non-concurrent::\S/,
    );
  });

  it("sarif: a 2.1.0 log with the catalogue and located results", async () => {
    const cwd = project({ "sub dir/001_idx.sql": `${UNSAFE_INDEX}\n` });
    const result = await runCli(["lint", "--format", "sarif", "sub dir"], { cwd });
    const log = JSON.parse(result.stdout);
    expect(log.version).toBe("2.1.0");
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe("safemigrate");
    expect(run.tool.driver.version).toMatch(/^\d+\.\d+\.\d+/);
    const rules = run.tool.driver.rules;
    const index = rules.findIndex((r: { id: string }) => r.id === "create-index-non-concurrent");
    expect(rules[index]).toMatchObject({
      shortDescription: { text: expect.any(String) },
      help: { text: expect.any(String) },
      helpUri:
        "https://github.com/safemigrate/safemigrate/blob/main/docs/rules/create-index-non-concurrent.md",
      defaultConfiguration: { level: "error" },
    });
    expect(run.results).toEqual([
      {
        ruleId: "create-index-non-concurrent",
        ruleIndex: index,
        level: "error",
        message: { text: expect.any(String) },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: "sub%20dir/001_idx.sql" },
              region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 46 },
            },
          },
        ],
      },
    ]);
  });

  it("takes the format from the config file, the environment and the flag, in that precedence", async () => {
    const cwd = project({ "001_idx.sql": `${UNSAFE_INDEX}\n` });
    const config = { format: "json" };
    const withFile = project({ "001_idx.sql": `${UNSAFE_INDEX}\n`, "custom.json": JSON.stringify(config) });
    const fromFile = await runCli(["lint", "--config", "custom.json", "001_idx.sql"], { cwd: withFile });
    expect(fromFile.stdout.startsWith('{"version":1')).toBe(true);
    const fromEnv = await runCli(["lint", "--config", "custom.json", "001_idx.sql"], {
      cwd: withFile,
      env: { SAFEMIGRATE_FORMAT: "github" },
    });
    expect(fromEnv.stdout.startsWith("::error ")).toBe(true);
    const fromFlag = await runCli(["lint", "--format", "sarif", "001_idx.sql"], {
      cwd,
      env: { SAFEMIGRATE_FORMAT: "github" },
    });
    expect(JSON.parse(fromFlag.stdout).version).toBe("2.1.0");
  });
});

describe("lint config errors", () => {
  it("names the file and key of an unknown key or rule", async () => {
    const badKey = project({ "safemigrate.config.json": JSON.stringify({ pgVersoin: 13 }) });
    expect(await runCli(["lint", "."], { cwd: badKey })).toMatchObject({
      code: 2,
      stderr: "safemigrate: safemigrate.config.json: pgVersoin: unknown key (did you mean pgVersion?)\n",
    });
    const badRule = project({
      "safemigrate.config.json": JSON.stringify({ rules: { "create-index": "off" } }),
    });
    const result = await runCli(["lint", "."], { cwd: badRule });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^safemigrate: safemigrate\.config\.json: rules\.create-index: unknown rule 'create-index' \(did you mean create-index-non-concurrent.*\)\n$/,
    );
  });

  it("names the environment variable of a bad value", async () => {
    const cwd = project({});
    expect(await runCli(["lint", "."], { cwd, env: { SAFEMIGRATE_LOCK_TIMEOUT: "soon" } })).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^safemigrate: SAFEMIGRATE_LOCK_TIMEOUT: 'soon' is not a duration/),
    });
  });
});
