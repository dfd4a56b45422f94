/** SQL text of a parse-tree expression (a default, a USING clause, a SET value), for messages and help. */
import type { Node } from "libpg-query";
import { deparseSync } from "pgsql-deparser";

export function expressionText(node: Node): string {
  return deparseSync(node, { pretty: false }).trim();
}
