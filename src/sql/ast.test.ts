import type { Node } from "libpg-query";
import { beforeAll, describe, expect, it } from "vitest";
import { booleanOption, nodeBody } from "./ast.js";
import { initParser, parseSql } from "./parse.js";

beforeAll(initParser);

/** The option list of a one-statement REINDEX or VACUUM. */
function options(sql: string): Node[] | undefined {
  const ast = parseSql(sql).statements[0]?.ast ?? undefined;
  return (
    nodeBody<{ params?: Node[] }>(ast, "ReindexStmt")?.params ??
    nodeBody<{ options?: Node[] }>(ast, "VacuumStmt")?.options
  );
}

describe("booleanOption", () => {
  it.each([
    ["REINDEX (CONCURRENTLY) INDEX i", true],
    ["REINDEX INDEX CONCURRENTLY i", true],
    ["REINDEX (concurrently true) INDEX i", true],
    ["REINDEX (CONCURRENTLY ON) INDEX i", true],
    ["REINDEX (CONCURRENTLY 1) INDEX i", true],
    ["REINDEX (CONCURRENTLY 'True') INDEX i", true],
    ['REINDEX (CONCURRENTLY "on") INDEX i', true],
    ["REINDEX (CONCURRENTLY false) INDEX i", false],
    ["REINDEX (CONCURRENTLY OFF) INDEX i", false],
    ["REINDEX (CONCURRENTLY 0) INDEX i", false],
    ["REINDEX (CONCURRENTLY 'false') INDEX i", false],
    ["REINDEX (CONCURRENTLY, CONCURRENTLY false) INDEX i", false],
    ["REINDEX (CONCURRENTLY false, CONCURRENTLY) INDEX i", true],
    ["REINDEX (CONCURRENTLY false) INDEX CONCURRENTLY i", true],
    ["REINDEX (VERBOSE) INDEX i", undefined],
    ["REINDEX INDEX i", undefined],
  ])("%s: concurrently is %s", (sql, expected) => {
    expect(booleanOption(options(sql), "concurrently")).toBe(expected);
  });

  it.each([
    "REINDEX (CONCURRENTLY yes) INDEX i",
    "REINDEX (CONCURRENTLY no) INDEX i",
    "REINDEX (CONCURRENTLY 2) INDEX i",
    "REINDEX (CONCURRENTLY -1) INDEX i",
    "REINDEX (CONCURRENTLY 1.0) INDEX i",
    "REINDEX (CONCURRENTLY 'of') INDEX i",
  ])("%s: a value Postgres rejects is null", (sql) => {
    expect(booleanOption(options(sql), "concurrently")).toBeNull();
  });

  it("reads VACUUM's list the same way", () => {
    expect(booleanOption(options("VACUUM FULL t"), "full")).toBe(true);
    expect(booleanOption(options("VACUUM (FULL FALSE, ANALYZE) t"), "full")).toBe(false);
    expect(booleanOption(options("VACUUM (FULL FALSE, ANALYZE) t"), "analyze")).toBe(true);
  });
});
