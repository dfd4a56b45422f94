import { defineRule } from "../rule.js";
import { cliName, newCommand } from "./new-command.js";

/** The new name alone: the model names the renamed table in its schema (`app.new`), RENAME TO takes none. */
function newName(from: string, to: string): string {
  const dot = from.indexOf(".");
  const schema = dot === -1 ? null : from.slice(0, dot);
  return schema && to.startsWith(`${schema}.`) ? to.slice(schema.length + 1) : to;
}

export default defineRule({
  id: "rename-table",
  category: "compat",
  defaultSeverity: "error",
  description:
    "ALTER TABLE ... RENAME TO (or renaming a view or sequence) breaks the application version still running.",
  help: "Create the new table (or an updatable view under the old name) for the transition; drop the old name in the contract phase.",
  check(statement) {
    const { renamed, compat, objectKind } = statement.effects;
    if (statement.phase !== "expand" || renamed?.kind !== "table" || compat !== "contract") return [];
    return [
      {
        message: `renaming ${objectKind ?? "table"} ${renamed.from} to ${renamed.to} breaks the running application version, which still uses the old name`,
        ...(objectKind === null || objectKind === "table"
          ? {
              help: `Rename it with an updatable view under the old name until the contract phase: ${newCommand(`rename ${renamed.from}`, ["--rename-table", cliName(renamed.from), cliName(newName(renamed.from, renamed.to))])} writes it.`,
            }
          : {}),
      },
    ];
  },
});
