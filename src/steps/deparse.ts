/**
 * SQL text for the statements the safe rewrites build. The rewrites edit parse trees (never SQL text) and
 * print them with pgsql-deparser (the deparser of the same Postgres 18 parse trees libpg-query produces).
 * Every printed statement is parsed again and compared with the tree it was printed from, so that a
 * deparser gap (it silently drops some clauses) makes the rewrite step back instead of running different SQL.
 */
import type { Node } from "libpg-query";
import { parseSync } from "libpg-query";
import { expressionText } from "../sql/print.js";

export class DeparseMismatch extends Error {
  override readonly name = "DeparseMismatch";
}

/** One statement as SQL (one line, no trailing semicolon); throws DeparseMismatch when it does not round-trip. */
export function printStatement(ast: Node): string {
  const sql = expressionText(ast).replace(/;$/, "");
  let reparsed: unknown;
  try {
    reparsed = (parseSync(sql) as { stmts?: Array<{ stmt?: Node }> }).stmts?.[0]?.stmt;
  } catch (error) {
    throw new DeparseMismatch(`printed SQL does not parse: ${sql} (${String(error)})`);
  }
  const difference = firstDifference(ast, reparsed, "");
  if (difference !== null) throw new DeparseMismatch(`printed SQL loses ${difference}: ${sql}`);
  return sql;
}

/** Parse-tree fields that hold offsets into the SQL text, which differ between the original and the print. */
const POSITIONS = new Set([
  "location",
  "stmt_location",
  "list_start",
  "list_end",
  "rexpr_list_start",
  "rexpr_list_end",
  "name_location",
]);

/**
 * Where `actual` lacks or changes something `expected` states; null when it states everything `expected` does.
 * Positions (`location`, `list_start`, ...) are ignored, and so are fields the parser adds with their default
 * value: a missing boolean reads as false, as the parser omits false booleans.
 */
function firstDifference(expected: unknown, actual: unknown, path: string): string | null {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return path || "a list";
    for (let i = 0; i < expected.length; i++) {
      const difference = firstDifference(expected[i], actual[i], `${path}[${i}]`);
      if (difference !== null) return difference;
    }
    return null;
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object") return path || "a node";
    for (const [key, value] of Object.entries(expected)) {
      if (POSITIONS.has(key) || value === undefined) continue;
      const other = (actual as Record<string, unknown>)[key];
      if (value === false && other === undefined) continue;
      const difference = firstDifference(value, other, path ? `${path}.${key}` : key);
      if (difference !== null) return difference;
    }
    return null;
  }
  return expected === actual ? null : path || String(expected);
}

/** A deep copy of a parse tree, to edit without touching the analysed original. */
export function cloneTree<T>(tree: T): T {
  return structuredClone(tree);
}
