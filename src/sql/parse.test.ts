import { beforeAll, describe, expect, it } from "vitest";
import { initParser, parseSql } from "./parse.js";
import { SourceText } from "./source.js";

beforeAll(initParser);

function located(text: string) {
  const source = new SourceText(text);
  return parseSql(text).statements.map((s) => ({
    text: s.text,
    ...source.position(s.start),
    error: s.error?.message ?? null,
  }));
}

describe("parseSql", () => {
  it("gives each statement its exact range, without comments, white space or the semicolon", () => {
    const text =
      "-- header\nCREATE TABLE a (id int);\n\n/* note */ CREATE INDEX i\n  ON a (id) -- why\n;\nSELECT 1 -- end";
    expect(located(text)).toEqual([
      { text: "CREATE TABLE a (id int)", line: 2, column: 1, error: null },
      { text: "CREATE INDEX i\n  ON a (id)", line: 4, column: 12, error: null },
      { text: "SELECT 1", line: 7, column: 1, error: null },
    ]);
  });

  it("converts byte offsets to string indices after non-ASCII text", () => {
    const text = "COMMENT ON TABLE a IS 'café ☕ 𝄞';\nALTER TABLE \"ünïcode\" ADD COLUMN b int;";
    const [first, second] = located(text);
    expect(first?.text).toBe("COMMENT ON TABLE a IS 'café ☕ 𝄞'");
    expect(second).toMatchObject({ text: 'ALTER TABLE "ünïcode" ADD COLUMN b int', line: 2, column: 1 });
  });

  it("counts columns in characters, also for characters outside the BMP", () => {
    const text = "SELECT '𝄞𝄞'; SELECT 2;";
    expect(located(text)[1]).toMatchObject({ line: 1, column: 14 });
  });

  it("treats empty and comment-only files as zero statements", () => {
    expect(parseSql("").statements).toEqual([]);
    expect(parseSql("  \n-- nothing here\n/* or here */\n").statements).toEqual([]);
  });

  it("reports a bad statement at its own position and keeps the others", () => {
    const text = "CREATE TABLE a (id int);\nALTER TABLE a ADD COLUMN;\nCREATE INDEX i ON a (id);";
    expect(located(text)).toEqual([
      { text: "CREATE TABLE a (id int)", line: 1, column: 1, error: null },
      { text: "ALTER TABLE a ADD COLUMN", line: 2, column: 1, error: 'syntax error at or near ";"' },
      { text: "CREATE INDEX i ON a (id)", line: 3, column: 1, error: null },
    ]);
    const bad = parseSql(text).statements[1];
    expect(new SourceText(text).position(bad?.error?.index ?? 0)).toEqual({ line: 2, column: 25 });
  });

  it("does not split dollar-quoted bodies or strings at their semicolons when recovering", () => {
    const text =
      "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\nSELEC 'a;b';\nCREATE TABLE b (id int);";
    const statements = parseSql(text).statements;
    expect(statements.map((s) => s.error === undefined)).toEqual([true, false, true]);
    expect(statements[1]?.text).toBe("SELEC 'a;b'");
  });

  it("keeps BEGIN ATOMIC bodies whole when recovering", () => {
    const text =
      "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 1 END; END;\nDROP TABL x;";
    const statements = parseSql(text).statements;
    expect(statements).toHaveLength(2);
    expect(statements[0]?.error).toBeUndefined();
    expect(statements[1]?.error?.message).toMatch(/syntax error/);
  });

  it("reports an unterminated string from its statement to the end of the file", () => {
    const text = "CREATE TABLE a (id int);\nINSERT INTO a VALUES ('oops);\nCREATE TABLE b (id int);";
    const statements = parseSql(text).statements;
    expect(statements).toHaveLength(2);
    expect(statements[0]?.error).toBeUndefined();
    expect(statements[1]?.error?.message).toMatch(/unterminated/);
  });

  it("returns comments only when asked, from the real scanner", () => {
    const text = "SELECT '-- not a comment'; -- a comment\n/* block */";
    expect(parseSql(text, true).comments.map((c) => c.text)).toEqual(["-- a comment", "/* block */"]);
    expect(parseSql(text, false).comments).toEqual([]);
  });
});
