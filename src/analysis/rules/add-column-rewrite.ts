import { expressionText } from "../../sql/print.js";
import type { AnalyzedStatement, CommandEffects } from "../model.js";
import { defineRule, existingTableCommands } from "../rule.js";
import { commandRange } from "./columns.js";
import { cliName, columnDef, newCommand, typeText } from "./new-command.js";

/** For a volatile default: the --add-column command with the column's type and default filled in. */
function recipeHelp(statement: AnalyzedStatement, command: CommandEffects, table: string): { help?: string } {
  const info = command.addColumn;
  const column = command.column as string;
  const type = typeText(columnDef(statement, "AT_AddColumn", column)?.typeName);
  if (!info?.defaultExpression || !info.volatileDefault || !type) return {};
  const args = [
    "--add-column",
    cliName(table, column),
    type,
    "--default",
    expressionText(info.defaultExpression),
  ];
  return {
    help: `Add the column without the default, set it for new rows and backfill the rest in batches: ${newCommand(`add ${table} ${column}`, info.notNull ? [...args, "--not-null"] : args)} writes it.`,
  };
}

export default defineRule({
  id: "add-column-rewrite",
  category: "rewrite",
  defaultSeverity: "error",
  description:
    "ADD COLUMN with a volatile default, a stored generated expression or an identity on an existing table rewrites it under ACCESS EXCLUSIVE.",
  help: "Add the column without the default, then SET DEFAULT for new rows and backfill existing rows in batches.",
  check(statement) {
    const { effects } = statement;
    return existingTableCommands(statement)
      .filter((c) => c.subtype === "AT_AddColumn" && c.rewrite)
      .map((c) => ({
        message: `adding column ${c.column} to existing table ${effects.target} rewrites the whole table under an ACCESS EXCLUSIVE lock (${c.reason})`,
        ...recipeHelp(statement, c, effects.target as string),
        ...commandRange(statement, c),
      }));
  },
});
