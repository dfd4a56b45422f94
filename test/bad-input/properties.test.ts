/**
 * Property-based bad input (fast-check), in-process: random text, SQL-shaped token soup (unterminated
 * quotes and dollar quotes, comments, every layout's section markers, NUL, CRLF, BOMs), mutated real
 * migrations from ../shared/corpus, random bytes on disk. Each input through the parser, the migration
 * readers of every layout and `lint` ends in findings or one clear error: exit 0, 1 or 2, one line on
 * stderr, never an internal error or a stack trace. An input that hangs fails its run (INPUT_BOUND_MS).
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { LAYOUTS } from "../../src/migrations/migration.js";
import { readMigrationFile } from "../../src/migrations/read-file.js";
import { initParser, parseSql } from "../../src/sql/parse.js";
import { runCli } from "../support/cli.js";
import { CORPUS_ROOT, corpusMissing } from "../support/corpus.js";

await initParser();

/** Fragments that stress the scanner, the statement splitter, the directives and the section readers. */
const FRAGMENTS = [
  "CREATE TABLE t (id int);",
  "CREATE INDEX i ON t (a);",
  "ALTER TABLE t ADD COLUMN c int NOT NULL;",
  "ALTER TABLE t ALTER COLUMN c SET NOT NULL;",
  "UPDATE t SET a = 1;",
  "SELECT 1",
  ";",
  "'",
  "''",
  '"',
  "E'\\'",
  "$$",
  "$a$",
  "$a$ x $b$",
  "DO $$ BEGIN",
  "/*",
  "*/",
  "/* /* */",
  "--",
  "-- safemigrate:ignore create-index-non-concurrent",
  "-- safemigrate:ignore-file",
  "-- safemigrate:expand",
  "-- safemigrate:contract",
  "-- safemigrate:no-transaction",
  "-- safemigrate:no-rewrite",
  "-- +goose Up",
  "-- +goose Down",
  "-- +goose StatementBegin",
  "-- +goose StatementEnd",
  "-- +goose NO TRANSACTION",
  "-- migrate:up",
  "-- migrate:down transaction:false",
  "-- Up Migration",
  "-- Down Migration",
  "--> statement-breakpoint",
  "--liquibase formatted sql",
  "--changeset a:1",
  "--rollback DROP TABLE t;",
  "--! no-transaction",
  "BEGIN;",
  "COMMIT;",
  "ROLLBACK;",
  "\n",
  "\r\n",
  "\r",
  "\t",
  " ",
  "\uFEFF",
  "\0",
  "\uFFFD",
  "\u00e9",
  "\u{1F600}",
  "\uD800",
  "(",
  ")",
  "\\",
];

const sqlSoup = fc
  .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 8 })), { maxLength: 40 })
  .map((parts) => parts.join(" "));

/** The CLI's contract for bad input: an exit code of the contract, and at most one clear line of error. */
function wellBehaved(result: { code: number; stdout: string; stderr: string }): void {
  expect([0, 1, 2]).toContain(result.code);
  expect(result.stderr).not.toContain("internal error");
  expect(`${result.stdout}${result.stderr}`).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  if (result.code === 2) expect(result.stderr.trim().split("\n")).toHaveLength(1);
}

/**
 * A hang detector, not a speed check: one input may take this long before its run fails (lint of a
 * generated input takes milliseconds).
 */
const INPUT_BOUND_MS = 30_000;

const lintStdin = (text: string) => runCli(["lint", "-", "--format", "json"], { stdin: text });

describe("bad input, property-based", () => {
  it("the parser gives statements or a syntax error for any text", () => {
    fc.assert(
      fc.property(fc.oneof(sqlSoup, fc.string({ unit: "binary", maxLength: 200 })), (text) => {
        const parsed = parseSql(text, true);
        for (const s of parsed.statements) {
          expect(s.start).toBeGreaterThanOrEqual(0);
          expect(s.end).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("every layout's reader reads any text as a migration or refuses it as not text", () => {
    fc.assert(
      fc.property(fc.constantFrom(...LAYOUTS), sqlSoup, (layout, text) => {
        try {
          const migration = readMigrationFile("0001_x.sql", text, { layout });
          expect(typeof migration.file.upText).toBe("string");
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
          expect(String((error as Error).message)).toContain("not a text file");
        }
      }),
      { numRuns: 300 },
    );
  });

  it("lint of SQL-shaped token soup exits 0, 1 or 2 with no internal error", async () => {
    await fc.assert(
      fc.asyncProperty(sqlSoup, async (text) => wellBehaved(await lintStdin(text))),
      { numRuns: 150, timeout: INPUT_BOUND_MS },
    );
  });

  it("lint of random Unicode text exits 0, 1 or 2 with no internal error", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "binary", maxLength: 300 }), async (text) =>
        wellBehaved(await lintStdin(text)),
      ),
      { numRuns: 100, timeout: INPUT_BOUND_MS },
    );
  });

  it("lint of random bytes in a file exits 0, 1 or 2, and never prints them when they are binary", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sm-bytes-"));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 400 }), async (bytes) => {
        const file = join(dir, `${String(++n).padStart(4, "0")}_r.sql`);
        writeFileSync(file, bytes);
        const result = await runCli(["lint", file]);
        wellBehaved(result);
        if (result.stderr.includes("not a text file")) {
          expect(result.code).toBe(2);
          expect(result.stdout).toBe("");
          expect(result.stderr).toMatch(
            /^safemigrate: .*_r\.sql: not a text file \(binary content, not SQL\)\n$/,
          );
        }
      }),
      { numRuns: 100, timeout: INPUT_BOUND_MS },
    );
  });

  it("lint of mutated real migrations exits 0, 1 or 2 with no internal error", async (context) => {
    const missing = corpusMissing("the mutated-corpus property");
    if (missing) return context.skip(missing);
    const files = sqlFiles(CORPUS_ROOT).slice(0, 400);
    const mutation = fc.record({
      file: fc.constantFrom(...files),
      at: fc.nat(),
      cut: fc.nat({ max: 40 }),
      insert: fc.constantFrom(...FRAGMENTS),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async ({ file, at, cut, insert }) => {
        const text = readFileSync(file, "utf8");
        const i = at % (text.length + 1);
        wellBehaved(await lintStdin(text.slice(0, i) + insert + text.slice(i + cut)));
      }),
      { numRuns: 150, timeout: INPUT_BOUND_MS },
    );
  });
});

describe("bad input, extremes", () => {
  const cases: Array<[string, string]> = [
    ["a huge single statement (2 MB)", `INSERT INTO t VALUES ${Array(100_000).fill("(1, 'x')").join(", ")};`],
    ["deeply nested parentheses", `SELECT ${"(".repeat(5000)}1${")".repeat(5000)};`],
    ["a deeply nested expression", `SELECT ${Array(5000).fill("1").join(" + ")};`],
    ["an unterminated quote", "CREATE TABLE t (id int);\nSELECT 'never closed\n;\n"],
    ["an unterminated dollar quote", "CREATE TABLE t (id int);\nDO $body$ BEGIN PERFORM 1; END\n"],
    ["an unterminated block comment", "CREATE TABLE t (id int);\n/* never closed\n"],
    ["a NUL byte", "CREATE TABLE t (id int);\0\nCREATE INDEX i ON t (id);\n"],
    ["invalid UTF-8 decoded", "CREATE TABLE t (id int);\n-- caf\uFFFD\nCREATE INDEX i ON t (id);\n"],
    ["CRLF and a BOM", "\uFEFFCREATE TABLE t (id int);\r\nCREATE INDEX i ON t (id);\r\n"],
    ["a BOM in the middle", "CREATE TABLE t (id int);\n\uFEFFCREATE INDEX i ON t (id);\n"],
    [
      "markers in odd places",
      "SELECT 1 -- +goose Up\n;-- migrate:up\n-- +goose StatementEnd\n-- +goose Down\n",
    ],
    ["only a statement separator", ";;;"],
  ];
  for (const [what, text] of cases) {
    it(`${what}: findings or one clear error`, async () => wellBehaved(await lintStdin(text)));
  }
});

function sqlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sqlFiles(path);
      return name.endsWith(".sql") ? [path] : [];
    });
}
