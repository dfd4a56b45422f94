/** What one statement of a step does, in SQL words, for messages that say what a statement runs as. */
import { commandLabel } from "../analysis/effects/alter-table.js";
import type { StatementEffects } from "../analysis/model.js";

/**
 * `CREATE INDEX CONCURRENTLY`, `ALTER TABLE ADD CONSTRAINT NOT VALID`, `ALTER TABLE SET NOT NULL, DROP
 * CONSTRAINT`: the statement's action with what makes it safe (CONCURRENTLY, NOT VALID, USING INDEX)
 * spelled out.
 */
export function pieceAction(effects: StatementEffects): string {
  if (effects.kind !== "AlterTableStmt" || effects.commands.length === 0)
    return effects.concurrent ? `${effects.action} CONCURRENTLY` : effects.action;
  const commands = effects.commands.map((c) => {
    const label = commandLabel(c);
    if (c.constraint?.notValid) return `${label} NOT VALID`;
    return c.constraint?.usingIndex && !label.endsWith("USING INDEX") ? `${label} USING INDEX` : label;
  });
  return `ALTER ${(effects.objectKind ?? "table").toUpperCase()} ${commands.join(", ")}`;
}
