/**
 * Bad input at the command line: binary migration files (an ELF, random bytes) refused as "not a text
 * file" by lint, plan and up without printing their bytes; bad configuration and flags; unreadable paths;
 * a directory of mixed layouts; and no database password in any output, in text and JSON, on connection
 * errors and on runs that work. A few cases run the real process.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, ROOT, spawnCli, tempDir } from "../cli/support.js";
import { runCli } from "../support/cli.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";

/** The first 4 KiB of the running node binary: a real ELF (or Mach-O) header, NUL bytes included. */
const EXECUTABLE = readFileSync(process.execPath).subarray(0, 4096);
/** Random bytes without NUL, so the other half of the binary test (undecodable bytes) is what decides. */
const RANDOM = Buffer.from(randomBytes(2048).map((b) => b || 1));

function binaryProject(bytes: Buffer): string {
  const dir = tempDir({ "migrations/001_ok.sql": "CREATE TABLE ok (id int);\n" });
  writeFileSync(join(dir, "migrations", "002_blob.sql"), bytes);
  return dir;
}

const NOT_TEXT = /^safemigrate: (migrations\/)?002_blob\.sql: not a text file \(binary content, not SQL\)\n$/;

/** Nothing of the file's bytes reached the output: no control character, no undecodable byte. */
function noBytesPrinted(output: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
  expect(output).not.toMatch(/[\u0000-\u0008\u000e-\u001f\u007f\ufffd]/);
  expect(output).not.toContain("ELF");
}

describe("binary migration files", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  for (const [what, bytes] of [
    ["an executable", EXECUTABLE],
    ["random bytes", RANDOM],
  ] as const) {
    it(`${what}: lint, plan and up say "not a text file", exit 2, and print none of it`, async () => {
      const cwd = binaryProject(bytes);
      const runs = [
        await runCli(["lint", "migrations"], { cwd }),
        await runCli(["lint", "migrations/002_blob.sql"], { cwd }),
        await runCli(["lint", "migrations", "--format", "json"], { cwd }),
        await runCli(["plan", "migrations"], { cwd }),
        await runCli(["up", "migrations", "--log-format", "json"], { cwd, env: { DATABASE_URL: db.url } }),
      ];
      for (const result of runs) {
        expect(result.code).toBe(2);
        expect(result.stdout).toBe("");
        expect(result.stderr).toMatch(NOT_TEXT);
        noBytesPrinted(result.stdout + result.stderr);
      }
      const [table] = await db.sql`SELECT to_regclass('ok') AS t`;
      expect(table?.t).toBeNull(); // up refused before running anything
    });
  }

  it("as a process, lint of an executable exits 2 with one line", () => {
    ensureBuilt();
    const result = spawnCli(["lint", "migrations"], { cwd: binaryProject(EXECUTABLE) });
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toMatch(NOT_TEXT);
  }, 180_000);

  it("a file with a few Latin-1 bytes in a comment is still text", async () => {
    const cwd = tempDir({});
    writeFileSync(
      join(cwd, "001_latin.sql"),
      Buffer.from("-- caf\xe9 cr\xe8me\nCREATE TABLE latin (id int);\n", "latin1"),
    );
    expect((await runCli(["lint", "001_latin.sql"], { cwd })).code).toBe(0);
  });
});

describe("bad configuration, flags and paths", () => {
  const oneLine = /^safemigrate: [^\n]+\n$/;
  const cases: Array<[string, Record<string, string>, string[], RegExp]> = [
    ["a config file that is not JSON", { "safemigrate.config.json": "{ nope" }, ["lint", "."], /config/],
    [
      "an unknown config key",
      { "safemigrate.config.json": '{"lockTimeot": "1s"}' },
      ["lint", "."],
      /lockTimeot/,
    ],
    [
      "a bad duration",
      { "safemigrate.config.json": '{"lockTimeout": "soon"}' },
      ["lint", "."],
      /lockTimeout/,
    ],
    [
      "a config key of the wrong type",
      { "safemigrate.config.json": '{"pgVersion": "x"}' },
      ["lint", "."],
      /pgVersion/,
    ],
    ["an unknown rule", {}, ["lint", ".", "--rule", "no-such-rule=off"], /no-such-rule/],
    ["a bad --pg-version", {}, ["lint", ".", "--pg-version", "nine"], /pg-version|pgVersion/],
    ["a bad --lock-timeout", {}, ["up", ".", "--lock-timeout", "-3"], /lock-timeout|lockTimeout/],
    ["a bad --format", {}, ["lint", ".", "--format", "xml"], /xml/],
    ["an unknown flag", {}, ["lint", "--frobnicate"], /frobnicate/],
    ["an unknown layout", {}, ["lint", ".", "--layout", "rails"], /rails/],
    ["a missing file", {}, ["lint", "nope.sql"], /cannot read nope\.sql: no such file or directory/],
    [
      "a path under a file",
      { "a.sql": "SELECT 1;" },
      ["lint", "a.sql/b.sql"],
      /cannot read a\.sql\/b\.sql: not a directory/,
    ],
    ["a config file that is missing", {}, ["lint", ".", "--config", "gone.json"], /gone\.json/],
  ];
  for (const [what, files, args, message] of cases) {
    it(`${what}: one line, exit 2`, async () => {
      const result = await runCli(args, { cwd: tempDir(files) });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(oneLine);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toContain("internal error");
    });
  }

  it("a directory of mixed layouts names each file it does not read; --strict makes it exit 2", async () => {
    const cwd = tempDir({
      "V1__flyway.sql": "CREATE TABLE a (id int);\n",
      "2_golang.up.sql": "CREATE TABLE b (id int);\n",
      "3_goose.sql": "-- +goose Up\nCREATE TABLE c (id int);\n",
    });
    const lenient = await runCli(["lint", "."], { cwd });
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/V1__flyway\.sql .*not read: the directory is golang-migrate layout/);
    expect(lenient.stdout).toMatch(/3_goose\.sql .*not read: the directory is golang-migrate layout/);
    const strict = await runCli(["lint", ".", "--strict"], { cwd });
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(oneLine);
    expect(strict.stderr).toMatch(/V1__flyway\.sql|3_goose\.sql/);
  });
});

describe("no database password in any output", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  const SECRET = "Hunter2Secret";
  const refused = `postgres://someone:${SECRET}@127.0.0.1:1/appdb`;
  const noSecret = (r: { stdout: string; stderr: string }, secret = SECRET) =>
    expect(`${r.stdout}${r.stderr}`).not.toContain(secret);

  it("connection errors, in text and JSON, with the URL given every way", async () => {
    const dir = tempDir({ "001_a.sql": "CREATE TABLE pw_a (id int);\n" });
    const urls = [
      refused,
      `postgres://someone@127.0.0.1:1/appdb?password=${SECRET}`,
      `postgres://someone:${encodeURIComponent(`${SECRET}@:/?`)}@127.0.0.1:1/appdb`,
    ];
    const commands = [
      ["up", ".", "--log-format", "json"],
      ["up", "."],
      ["contract", ".", "--log-format", "json"],
      ["status", ".", "--format", "json"],
    ];
    // Every runner command with the first spelling, given both ways; plan (which starts an embedded
    // Postgres first, the slow part) once each way; the other spellings through up.
    const runs = [
      ...commands.flatMap((args) => [
        runCli([...args, "--database-url", refused], { cwd: dir }),
        runCli(args, { cwd: dir, env: { DATABASE_URL: refused } }),
      ]),
      runCli(["plan", ".", "--format", "json", "--database-url", refused], { cwd: dir }),
      runCli(["plan", "."], { cwd: dir, env: { DATABASE_URL: refused } }),
      ...urls.slice(1).map((url) => runCli(["up", ".", "--database-url", url], { cwd: dir })),
    ];
    for (const result of await Promise.all(runs)) {
      expect(result.code).toBe(2);
      noSecret(result);
      noSecret(result, encodeURIComponent(SECRET));
    }
  });

  it("a run that works and a migration that fails, in JSON logs, with SAFEMIGRATE_DEBUG set", async () => {
    const password = new URL(db.url).password;
    expect(password.length).toBeGreaterThan(0);
    const dir = tempDir({
      "001_a.sql": "CREATE TABLE pw_ok (id int);\n",
      "002_b.sql": "ALTER TABLE pw_missing ADD COLUMN x int;\n",
    });
    const env = { DATABASE_URL: db.url, SAFEMIGRATE_DEBUG: "1" };
    for (const args of [
      ["up", ".", "--log-format", "json"],
      ["up", "."],
      ["status", ".", "--format", "json"],
      ["plan", ".", "--format", "json"],
    ]) {
      const result = await runCli(args, { cwd: dir, env });
      expect([0, 1]).toContain(result.code);
      noSecret(result, password);
      noSecret(result, db.url);
    }
    const wrong = new URL(db.url);
    wrong.password = SECRET;
    const process = spawnCli(["up", dir, "--log-format", "json"], {
      env: { DATABASE_URL: wrong.toString() },
    });
    noSecret(process);
  });
});

describe("bad input through the real process", () => {
  /** `lint -` on `input`, killed after 60 s: a hang shows as a null exit status, not a stuck suite. */
  const lintProcess = (input: string | Buffer) => {
    const child = spawnSync(process.execPath, [join(ROOT, "bin", "safemigrate.js"), "lint", "-"], {
      input,
      encoding: "utf8",
      timeout: 60_000,
      env: { PATH: process.env.PATH },
    });
    return { code: child.status, stdout: child.stdout, stderr: child.stderr };
  };
  beforeAll(() => ensureBuilt(), 180_000);

  for (const [what, input] of [
    ["deeply nested parentheses", `SELECT ${"(".repeat(20_000)}1${")".repeat(20_000)};`],
    ["an unterminated dollar quote after a statement", "CREATE INDEX i ON t (a);\nDO $x$ BEGIN\n"],
    ["random bytes on stdin", randomBytes(4096)],
    ["a NUL byte on stdin", "SELECT 1;\0\n"],
  ] as const) {
    it(`${what}: exit 0, 1 or 2 with no stack trace`, () => {
      const result = lintProcess(input);
      expect([0, 1, 2]).toContain(result.code);
      expect(result.stderr).not.toContain("internal error");
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });
  }
});
