import { describe, expect, it } from "vitest";
import { literalIndices } from "./string-literal.js";

describe("literalIndices", () => {
  it("maps a dollar-quoted value one to one", () => {
    expect(literalIndices("DO $x$ab$x$", 3, "ab")).toEqual([6, 7]);
  });

  it("maps doubled quotes, backslash escapes and continued constants", () => {
    expect(literalIndices("'a''b'", 0, "a'b")).toEqual([1, 3, 4]);
    expect(literalIndices("E'a\\nb\\x41'", 0, "a\nbA")).toEqual([2, 3, 5, 6]);
    expect(literalIndices("'ab'\n  'c'", 0, "abc")).toEqual([1, 2, 8]);
  });

  it("gives up where the value does not match the text (U&'' escapes)", () => {
    expect(literalIndices("U&'\\0041'", 0, "A")).toBeNull();
  });
});
