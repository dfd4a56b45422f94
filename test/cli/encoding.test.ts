/** A UTF-8 byte order mark and CRLF line ends read as a plain LF file: same findings, lines and columns. */
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { onlyRules, tempDir } from "./support.js";

const LF = [
  "-- an index on an existing table",
  "SET lock_timeout = '1s';",
  "  CREATE INDEX users_email_idx ON users (email);",
  "-- safemigrate:ignore prefer-text -- reason",
  "ALTER TABLE users ADD COLUMN nick varchar(20);",
  "",
].join("\n");

const VARIANTS: Record<string, string> = {
  lf: LF,
  crlf: LF.replaceAll("\n", "\r\n"),
  "bom+crlf": `\uFEFF${LF.replaceAll("\n", "\r\n")}`,
  "bom+lf": `\uFEFF${LF}`,
};

const CONFIG = JSON.stringify({
  rules: onlyRules({
    "create-index-non-concurrent": "error",
    "prefer-text": "warning",
    "syntax-error": "error",
    "unused-ignore": "warning",
  }),
});

type Position = { rule: string; line: number; column: number; endLine: number; endColumn: number };
const positions = (stdout: string): Position[] =>
  JSON.parse(stdout).findings.map(({ rule, line, column, endLine, endColumn }: Position) => ({
    rule,
    line,
    column,
    endLine,
    endColumn,
  }));

describe("BOM and CRLF", () => {
  const lfDir = tempDir({ "safemigrate.config.json": CONFIG, "001_a.sql": LF });

  it.each(Object.keys(VARIANTS))("lint: a %s file gives the findings of the LF file", async (variant) => {
    const expected = positions(
      (await runCli(["lint", "001_a.sql", "--format", "json"], { cwd: lfDir })).stdout,
    );
    expect(expected.map((p) => p.rule)).toEqual(["create-index-non-concurrent"]);
    expect(expected[0]).toMatchObject({ line: 3, column: 3 });
    const cwd = tempDir({ "safemigrate.config.json": CONFIG, "001_a.sql": VARIANTS[variant] as string });
    for (const args of [["001_a.sql"], ["."]]) {
      const result = await runCli(["lint", ...args, "--format", "json"], { cwd });
      expect(positions(result.stdout)).toEqual(expected);
    }
    const stdin = await runCli(["lint", "-", "--format", "json"], {
      cwd,
      stdin: VARIANTS[variant] as string,
    });
    expect(positions(stdin.stdout)).toEqual(expected);
  });

  it("lint text: the code frame shows the line without the BOM or a CR", async () => {
    const cwd = tempDir({ "safemigrate.config.json": CONFIG, "001_a.sql": VARIANTS["bom+crlf"] as string });
    const result = await runCli(["lint", "001_a.sql"], { cwd });
    expect(result.stdout).toContain("001_a.sql:3:3  error  create-index-non-concurrent");
    expect(result.stdout).toContain("3 |   CREATE INDEX users_email_idx ON users (email);\n");
    expect(result.stdout).not.toMatch(/\uFEFF|\r/);
  });

  it("plan: a BOM + CRLF file plans as its LF twin", async () => {
    const base = "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n";
    const plans: unknown[] = [];
    for (const text of [LF, VARIANTS["bom+crlf"] as string]) {
      const cwd = tempDir({ "safemigrate.config.json": CONFIG, "m/000_base.sql": base, "m/001_a.sql": text });
      const result = await runCli(["plan", "m", "--format", "json"], { cwd });
      expect(result.stderr).toBe("");
      const report = JSON.parse(result.stdout);
      const last = report.migrations.at(-1);
      expect(last.findings.map((f: { rule: string }) => f.rule)).not.toContain("syntax-error");
      plans.push(
        last.steps.map((s: { sql: string; locks: unknown }) => ({
          sql: s.sql.replaceAll("\r", ""),
          locks: s.locks,
        })),
      );
    }
    expect(plans[1]).toEqual(plans[0]);
  });
});
