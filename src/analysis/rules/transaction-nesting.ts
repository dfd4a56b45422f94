import type { AnalyzedStatement } from "../model.js";
import { defineRule, type RuleContext, type RuleReport } from "../rule.js";
import { toolName, wrappedByTool } from "./transactions.js";

const closes = (s: AnalyzedStatement | undefined) =>
  s?.effects.transactionControl === "commit" || s?.effects.transactionControl === "rollback";

/** The statement was opened by an explicit BEGIN of this file. */
const insideBegin = (s: AnalyzedStatement) =>
  s.transaction.explicit && s.transaction.statements[0]?.effects.transactionControl === "begin";

function nested(statement: AnalyzedStatement, context: RuleContext): string | null {
  const control = statement.effects.transactionControl;
  const word = statement.effects.action;
  const tool = toolName(statement.migration);
  if (wrappedByTool(context.file)) {
    if (control === "begin")
      return `BEGIN inside a file that ${tool} already runs in a transaction: Postgres only warns about it, and a COMMIT or ROLLBACK after it ends ${tool}'s transaction early, so the statements after that run without one`;
    if (!insideBegin(statement))
      return `${word} ends the transaction ${tool} runs this file in, so the statements after it run without one and ${tool}'s own COMMIT finds no transaction`;
    return null;
  }
  if (control === "begin") {
    const group = statement.transaction.statements;
    if (closes(group.at(-1))) return null;
    const all = context.file.statements;
    const next = all[all.indexOf(group.at(-1) as AnalyzedStatement) + 1];
    return next?.effects.transactionControl === "begin"
      ? "BEGIN is followed by another BEGIN before any COMMIT or ROLLBACK, but Postgres does not nest transactions: the inner BEGIN only warns and the first COMMIT ends both"
      : "BEGIN is never closed by a COMMIT or ROLLBACK in this file, so whether its statements commit depends on the tool: safemigrate commits them, a psql session that just ends rolls them back";
  }
  if (!insideBegin(statement))
    return control === "commit"
      ? "COMMIT has no matching BEGIN in this file, so it does not do what it seems: safemigrate's runner ignores it and runs the statements around it in one transaction, another tool commits its own transaction early or only warns"
      : "ROLLBACK has no matching BEGIN in this file, so what it discards depends on the tool: another tool discards the transaction it opened for the statements before it (or only warns when there is none), safemigrate's runner ignores it and commits them";
  return null;
}

export default defineRule({
  id: "transaction-nesting",
  category: "tx",
  defaultSeverity: "error",
  description:
    "BEGIN/COMMIT/ROLLBACK in a file its migration tool already runs in a transaction, a BEGIN never closed, or a COMMIT without BEGIN.",
  help: "Drop the explicit transaction control: let the runner (or the owning tool) manage the transaction.",
  check(statement, context): RuleReport[] {
    const control = statement.effects.transactionControl;
    if (control !== "begin" && control !== "commit" && control !== "rollback") return [];
    const message = nested(statement, context);
    return message ? [{ message }] : [];
  },
});
