import { beforeAll, describe, expect, it } from "vitest";
import { phaseAt, readDirectives } from "./directives.js";
import { initParser, parseSql } from "./parse.js";

beforeAll(initParser);

function directivesOf(text: string) {
  const parsed = parseSql(text);
  return { parsed, directives: readDirectives(parsed.comments, parsed.statements) };
}

describe("directives", () => {
  it("binds an ignore to the whole next statement, however many lines it spans", () => {
    const { directives } = directivesOf(
      "SELECT 1;\n-- safemigrate:ignore drop-column, rename-column -- legacy cleanup\nALTER TABLE a\n  DROP COLUMN b;",
    );
    expect(directives.ignores).toEqual([
      expect.objectContaining({
        rules: ["drop-column", "rename-column"],
        fileWide: false,
        statementIndex: 1,
        reason: "legacy cleanup",
      }),
    ]);
  });

  it("reads ignore-file, no-transaction and block-comment directives", () => {
    const { directives } = directivesOf(
      "/* safemigrate:no-transaction */\n-- safemigrate:ignore-file prefer-text\nCREATE TABLE a (b varchar(3));",
    );
    expect(directives.noTransaction).toBe(true);
    expect(directives.ignores[0]).toMatchObject({
      rules: ["prefer-text"],
      fileWide: true,
      statementIndex: null,
    });
  });

  it("binds no-rewrite to the whole next statement, and to none at the end of the file", () => {
    const { directives } = directivesOf(
      "SELECT 1;\n/* safemigrate:no-rewrite */\nCREATE INDEX i\n  ON t (a);\n-- safemigrate:no-rewrite",
    );
    expect(directives.noRewrites.map((d) => d.statementIndex)).toEqual([1, null]);
    expect(directives.unknown).toEqual([]);
  });

  it("splits a file into phases at the markers; no marker means expand", () => {
    const text = "SELECT 1;\n-- safemigrate:contract\nSELECT 2;\n-- safemigrate:expand\nSELECT 3;";
    const { parsed, directives } = directivesOf(text);
    expect(parsed.statements.map((s) => phaseAt(directives, s.start))).toEqual([
      "expand",
      "contract",
      "expand",
    ]);
    expect(directivesOf("SELECT 1;").directives.phaseMarkers).toEqual([]);
  });

  it("ignores directive-looking text inside strings and lists unknown directives", () => {
    const { directives } = directivesOf(
      "SELECT '-- safemigrate:contract';\n-- safemigrate:ignroe x\nSELECT 1;",
    );
    expect(directives.phaseMarkers).toEqual([]);
    expect(directives.unknown.map((u) => u.name)).toEqual(["ignroe"]);
  });
});
