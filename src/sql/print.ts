/**
 * SQL text of a parse tree: an expression (a default, a USING clause, a SET value) for messages and help, or
 * a statement the safe rewrites built (steps/deparse.ts checks that it round-trips).
 */
import type { Node } from "libpg-query";
import { deparseSync } from "pgsql-deparser";

export function expressionText(node: Node): string {
  return deparseSync(node, { pretty: false }).trim();
}
