import { describe, expect, it } from "vitest";
import { parseSearchPath, searchPathOfUrl, searchPathValue } from "./search-path.js";

describe("parseSearchPath", () => {
  it("reads names as Postgres reads a search_path: unquoted folded, quoted as written", () => {
    expect(parseSearchPath("storage, public")).toEqual({ schemas: ["storage", "public"] });
    expect(parseSearchPath('Storage,"My ""Schema""" , "$user"')).toEqual({
      schemas: ["storage", 'My "Schema"', "$user"],
    });
  });

  it("says what is wrong with one that is not a search_path", () => {
    expect(parseSearchPath("")).toEqual({ problem: "no schema named" });
    expect(parseSearchPath("a,,b")).toEqual({ problem: "an empty schema name in 'a,,b'" });
    expect(parseSearchPath("a,")).toEqual({ problem: "an empty schema name in 'a,'" });
    expect(parseSearchPath("a b")).toEqual({ problem: `'a b' is not a schema name (quote it: "a b")` });
    expect(parseSearchPath('"open')).toEqual({ problem: `an unterminated quoted name in '"open'` });
    expect(parseSearchPath('"a" b')).toEqual({ problem: `expected a comma after 'a' in '"a" b'` });
    expect(parseSearchPath("x".repeat(64))).toEqual({
      problem: `'${"x".repeat(64)}' is longer than 63 bytes`,
    });
  });
});

describe("searchPathValue", () => {
  it("quotes every name", () => {
    expect(searchPathValue(["storage", 'My "Schema"', "$user"])).toBe('"storage", "My ""Schema""", "$user"');
  });
});

describe("searchPathOfUrl", () => {
  it("takes search_path, or -c search_path= in options, and nothing else", () => {
    expect(searchPathOfUrl("postgres://u@h/d?search_path=storage,public")).toBe("storage,public");
    expect(searchPathOfUrl("postgres://u@h/d?options=-c%20search_path%3Dstorage%5C,public")).toBe(
      "storage,public",
    );
    expect(searchPathOfUrl("postgres://u@h/d?options=-csearch_path%3Dstorage")).toBe("storage");
    expect(searchPathOfUrl("postgres://u@h/d?sslmode=require")).toBeNull();
    expect(searchPathOfUrl("not a url")).toBeNull();
  });
});
