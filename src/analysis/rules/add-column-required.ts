import { defineRule, existingTableCommands } from "../rule.js";
import { commandRange } from "./columns.js";
import { cliName, columnDef, newCommand, typeText } from "./new-command.js";

function help(column: string, table: string, type: string | null): { help?: string } {
  if (!type) return {};
  const args = ["--add-column", cliName(table, column), type, "--default", "<value>", "--not-null"];
  return {
    help: `Give the column a default and make it NOT NULL by the CHECK route: ${newCommand(`add ${table} ${column}`, args)} writes it (put the value for existing and new rows in place of <value>).`,
  };
}

export default defineRule({
  id: "add-column-required",
  category: "compat",
  defaultSeverity: "error",
  description:
    "ADD COLUMN ... NOT NULL without a default on an existing table fails on a non-empty table and breaks the running code's INSERTs.",
  help: "Add the column nullable (or with a default); enforce NOT NULL later with CHECK (col IS NOT NULL) NOT VALID, VALIDATE, SET NOT NULL.",
  check(statement) {
    const { effects } = statement;
    return existingTableCommands(statement)
      .filter((c) => c.subtype === "AT_AddColumn" && c.addColumn?.notNull && c.compat === "contract")
      .map((c) => ({
        message: `column ${c.column} is added to existing table ${effects.target} as NOT NULL without a default, which fails if the table has rows and breaks INSERTs of the running code that omit it`,
        ...help(
          c.column as string,
          effects.target as string,
          typeText(columnDef(statement, "AT_AddColumn", c.column as string)?.typeName),
        ),
        ...commandRange(statement, c),
      }));
  },
});
