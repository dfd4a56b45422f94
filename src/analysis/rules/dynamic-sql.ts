import { defineRule } from "../rule.js";

export default defineRule({
  id: "dynamic-sql",
  category: "lock",
  defaultSeverity: "warning",
  description:
    "A DO block runs SQL built at run time (EXECUTE), which cannot be analysed: its locks, rewrites and compatibility are unknown.",
  help: "Write the statement itself in the migration (or in the DO block) so that it is analysed; or review it by hand and silence the warning.",
  check(statement) {
    return (statement.dynamic ?? []).map((dynamic) => ({
      message: `EXECUTE ${dynamic.text.replace(/\s+/g, " ").slice(0, 80)} in a DO block runs SQL built at run time: its locks, rewrites and compatibility are not analysed`,
      start: dynamic.start,
      end: dynamic.end,
    }));
  },
});
