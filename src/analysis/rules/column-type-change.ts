import { formatColumnType } from "../../sql/ast.js";
import type { CommandEffects } from "../model.js";
import { defineRule, existingTableCommands } from "../rule.js";
import { commandRange } from "./columns.js";

function describeChange(command: CommandEffects, table: string): string {
  const change = command.typeChange as NonNullable<CommandEffects["typeChange"]>;
  const to = formatColumnType(change.to);
  const column = `column ${command.column} of existing table ${table}`;
  if (change.from === null)
    return `changing ${column} to ${to} is assumed to rewrite the table and its indexes under an ACCESS EXCLUSIVE lock, as its current type is unknown here`;
  const using = change.using ? " with USING" : "";
  return `changing ${column} from ${formatColumnType(change.from)} to ${to}${using} rewrites the table and its indexes under an ACCESS EXCLUSIVE lock`;
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
        ...commandRange(statement, c),
      }));
  },
});
