import { inheritanceParent } from "../effects/alter-table.js";
import { defineRule, existingTableCommands } from "../rule.js";

export default defineRule({
  id: "inheritance-change",
  category: "compat",
  defaultSeverity: "warning",
  description:
    "ALTER TABLE ... INHERIT / NO INHERIT on an existing table: queries of the parent (without ONLY) suddenly see, or no longer see, the child's rows; the child is locked ACCESS EXCLUSIVE.",
  help: "Make sure no running code reads the parent across the change (or reads it with ONLY); for partitioning use ATTACH / DETACH PARTITION.",
  check(statement) {
    const table = statement.effects.target;
    return existingTableCommands(statement).flatMap((command) => {
      const parent = inheritanceParent(command);
      if (!parent) return [];
      const inherit = command.subtype === "AT_AddInherit";
      return [
        {
          message: inherit
            ? `INHERIT makes the rows of existing table ${table} part of every query of ${parent} without ONLY (running code sees more rows), under an ACCESS EXCLUSIVE lock on ${table} and SHARE UPDATE EXCLUSIVE on ${parent}`
            : `NO INHERIT removes the rows of existing table ${table} from every query of ${parent} (running code sees fewer rows), under an ACCESS EXCLUSIVE lock on ${table}`,
        },
      ];
    });
  },
});
