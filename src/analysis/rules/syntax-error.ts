import { defineRule } from "../rule.js";

export default defineRule({
  id: "syntax-error",
  category: "syntax",
  defaultSeverity: "error",
  description: "A statement Postgres cannot parse; the rest of the file is still linted.",
  help: "Fix the statement; the position points at the token Postgres rejected.",
  check(statement) {
    const error = statement.sql.error;
    if (!error) return [];
    return [{ message: error.message, start: error.index, end: statement.sql.end }];
  },
});
