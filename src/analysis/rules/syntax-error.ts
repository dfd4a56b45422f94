import type { Node } from "libpg-query";
import { booleanOption, nodeBody } from "../../sql/ast.js";
import { defineRule } from "../rule.js";

/** The boolean options the statement model reads: statement kind, option-list field, option. */
const BOOLEAN_OPTIONS: Array<[kind: string, field: string, option: string]> = [
  ["ReindexStmt", "params", "concurrently"],
  ["VacuumStmt", "options", "full"],
];

/** Postgres's message for a boolean option whose value it does not accept, or null. */
function badBooleanOption(ast: Node | null): string | null {
  for (const [kind, field, option] of BOOLEAN_OPTIONS) {
    const list = nodeBody<Record<string, Node[] | undefined>>(ast ?? undefined, kind)?.[field];
    if (booleanOption(list, option) === null)
      return `${option} requires a Boolean value (Postgres accepts true, false, on, off, 1 and 0)`;
  }
  return null;
}

export default defineRule({
  id: "syntax-error",
  category: "syntax",
  defaultSeverity: "error",
  description: "A statement Postgres cannot parse; the rest of the file is still linted.",
  help: "Fix the statement; the position points at the token Postgres rejected.",
  check(statement) {
    const error = statement.sql.error;
    if (error) return [{ message: error.message, start: error.index, end: statement.sql.end }];
    const option = badBooleanOption(statement.sql.ast);
    return option ? [{ message: option }] : [];
  },
});
