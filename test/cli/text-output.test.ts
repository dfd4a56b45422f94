import { describe, expect, it } from "vitest";
import { palette } from "../../src/cli/io.js";
import { codeFrame } from "../../src/cli/reporters/code-frame.js";
import { SourceText } from "../../src/sql/source.js";
import { runCli } from "../support/cli.js";
import { project, UNSAFE_INDEX } from "./support.js";

/** The escape that starts every ANSI colour sequence. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[`);

describe("text output", () => {
  it("shows location, severity, rule, message, a code frame and help", async () => {
    const cwd = project({ "001_idx.sql": `SET lock_timeout = '1s';\n${UNSAFE_INDEX}\n` });
    const { stdout } = await runCli(["lint", "001_idx.sql"], { cwd });
    const lines = stdout.split("\n");
    expect(lines[0]).toMatch(/^001_idx\.sql:2:1 {2}error {2}create-index-non-concurrent {2}\S/);
    expect(lines[1]).toBe(`2 | ${UNSAFE_INDEX}`);
    expect(lines[2]).toBe(`  | ${"^".repeat(UNSAFE_INDEX.length - 1)}`);
    expect(lines[3]).toMatch(/^help: \S/);
    expect(lines[4]).toBe("");
    expect(lines[5]).toBe("1 error, 0 warnings in 1 file (2 statements)");
  });

  it("underlines the right characters after non-ASCII text on the same line", async () => {
    const prefix = "SELECT 'é注😀'; ";
    const cwd = project({ "001_idx.sql": `${prefix}${UNSAFE_INDEX}\n` });
    const json = JSON.parse((await runCli(["lint", "--format", "json", "001_idx.sql"], { cwd })).stdout);
    // Columns count characters: the emoji is one character (two UTF-16 units, four UTF-8 bytes).
    expect(json.findings[0].column).toBe([...prefix].length + 1);
    const { stdout } = await runCli(["lint", "001_idx.sql"], { cwd });
    const [, code, underline] = stdout.split("\n");
    expect(code).toBe(`1 | ${prefix}${UNSAFE_INDEX}`);
    // 注 and 😀 take two terminal cells each.
    const cellsBefore = [...prefix].length + 2;
    expect(underline).toBe(`  | ${" ".repeat(cellsBefore)}${"^".repeat(UNSAFE_INDEX.length - 1)}`);
  });

  it("colours on a terminal, not with NO_COLOR or when piped, always with FORCE_COLOR", async () => {
    const cwd = project({ "001_idx.sql": `${UNSAFE_INDEX}\n` });
    const args = ["lint", "001_idx.sql"];
    expect((await runCli(args, { cwd, isTTY: true })).stdout).toMatch(ANSI);
    expect((await runCli(args, { cwd, isTTY: true, env: { NO_COLOR: "1" } })).stdout).not.toMatch(ANSI);
    expect((await runCli(args, { cwd, isTTY: false })).stdout).not.toMatch(ANSI);
    expect((await runCli(args, { cwd, isTTY: false, env: { FORCE_COLOR: "1" } })).stdout).toMatch(ANSI);
    expect((await runCli(args, { cwd, isTTY: true, env: { FORCE_COLOR: "0" } })).stdout).not.toMatch(ANSI);
    const json = await runCli(["lint", "--format", "json", "001_idx.sql"], {
      cwd,
      env: { FORCE_COLOR: "1" },
    });
    expect(json.stdout).not.toMatch(ANSI);
  });
});

describe("codeFrame", () => {
  const plain = palette(false);

  it("shows the first lines of a long statement and counts the rest", () => {
    const text = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join("\n");
    const frame = codeFrame(new SourceText(text), { line: 2, column: 1, endLine: 11, endColumn: 8 }, plain);
    expect(frame).toEqual([
      "2 | line 2",
      "  | ^^^^^^",
      "3 | line 3",
      "4 | line 4",
      "5 | line 5",
      "6 | line 6",
      "  | ... 5 more lines",
    ]);
  });

  it("widens the gutter for two-digit line numbers and expands tabs", () => {
    const text = `${"\n".repeat(9)}\tCREATE INDEX i ON t (a);\n`;
    const frame = codeFrame(new SourceText(text), { line: 10, column: 2, endLine: 10, endColumn: 14 }, plain);
    expect(frame).toEqual(["10 |     CREATE INDEX i ON t (a);", "   |     ^^^^^^^^^^^^"]);
  });

  it("underlines a part of a line", () => {
    const source = new SourceText("ALTER TABLE t ADD COLUMN c int;");
    const frame = codeFrame(source, { line: 1, column: 15, endLine: 1, endColumn: 31 }, plain);
    expect(frame[1]).toBe(`  | ${" ".repeat(14)}${"^".repeat(16)}`);
  });
});
