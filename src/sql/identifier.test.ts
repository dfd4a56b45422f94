import { beforeAll, describe, expect, it } from "vitest";
import { quoteIdent, quoteIdentIfNeeded } from "./identifier.js";
import { initParser } from "./parse.js";

beforeAll(() => initParser());

describe("quoteIdentIfNeeded", () => {
  it("leaves lower-case names and unreserved keywords as they are, as quote_ident does", () => {
    expect(["email", "x1", "_a$b", "name", "type"].map(quoteIdentIfNeeded)).toEqual([
      "email",
      "x1",
      "_a$b",
      "name",
      "type",
    ]);
  });

  it("quotes reserved and column-name keywords, upper case, spaces, quotes and non-ASCII letters", () => {
    for (const name of ["user", "select", "int", "left", "Email", "my col", 'a"b', "größe", "1a", ""])
      expect(quoteIdentIfNeeded(name)).toBe(quoteIdent(name));
  });
});
