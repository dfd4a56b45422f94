import { formatColumnType } from "../../sql/ast.js";
import { expressionText } from "../../sql/print.js";
import type { AnalyzedStatement, CommandEffects } from "../model.js";
import { defineRule, existingTableCommands } from "../rule.js";
import { commandRange } from "./columns.js";
import { cliName, columnDef, newCommand, typeText } from "./new-command.js";

function describeChange(command: CommandEffects, table: string): string {
  const change = command.typeChange as NonNullable<CommandEffects["typeChange"]>;
  const to = formatColumnType(change.to);
  const column = `column ${command.column} of existing table ${table}`;
  if (change.from === null)
    return `changing ${column} to ${to} is assumed to rewrite the table and its indexes under an ACCESS EXCLUSIVE lock, as its current type is unknown here`;
  const using = change.using ? " with USING" : "";
  return `changing ${column} from ${formatColumnType(change.from)} to ${to}${using} rewrites the table and its indexes under an ACCESS EXCLUSIVE lock`;
}

/** The --change-type command for this change, its USING (or a cast to the new type) filled in. */
function recipeHelp(statement: AnalyzedStatement, command: CommandEffects, table: string): { help?: string } {
  const column = command.column as string;
  const def = columnDef(statement, "AT_AlterColumnType", column);
  const type = typeText(def?.typeName);
  if (!type) return {};
  const using = def?.raw_default ? expressionText(def.raw_default) : `${cliName(column)}::${type}`;
  return {
    help: `A new column of the new type kept in step by a trigger, backfilled in batches, swapped in the contract phase: ${newCommand(`change ${table} ${column}`, ["--change-type", cliName(table, column), type, "--using", using])} writes it (add --reverse '<expression>' so that old code keeps writing).`,
  };
}

export default defineRule({
  id: "column-type-change",
  category: "rewrite",
  defaultSeverity: "error",
  description:
    "ALTER COLUMN ... TYPE that rewrites (or rescans) an existing table and rebuilds its indexes under ACCESS EXCLUSIVE.",
  help: "Add a new column, keep both in sync with a trigger, backfill it in batches, and swap in the contract phase.",
  check(statement) {
    const { effects } = statement;
    return existingTableCommands(statement)
      .filter((c) => c.typeChange !== null && c.rewrite)
      .map((c) => ({
        message: describeChange(c, effects.target as string),
        ...recipeHelp(statement, c, effects.target as string),
        ...commandRange(statement, c),
      }));
  },
});
