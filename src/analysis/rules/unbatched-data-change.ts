import { blocksTraffic, lockName } from "../locks.js";
import type { AnalyzedStatement, RelationLock } from "../model.js";
import { defineRule } from "../rule.js";
import { backfillFor, newCommand } from "./new-command.js";
import { perGroup } from "./transactions.js";

/** Per table, the first statement of the transaction, not itself a data change, that locks it so traffic waits. */
const ddlByTable = perGroup((group) => {
  const ddl = new Map<string, { other: AnalyzedStatement; lock: RelationLock }>();
  for (const other of group.statements) {
    if (other.effects.dataChange) continue;
    for (const lock of other.effects.locks) {
      if (blocksTraffic(lock.mode) && !ddl.has(lock.relation)) ddl.set(lock.relation, { other, lock });
    }
  }
  return ddl;
});

export default defineRule({
  id: "unbatched-data-change",
  category: "lock",
  defaultSeverity: "error",
  description:
    "UPDATE or DELETE of a whole existing table, or of a table altered in the same transaction, in one long transaction.",
  help: "Backfill in batches (by primary key ranges), each in its own short transaction, outside the DDL transaction.",
  check(statement) {
    const change = statement.effects.dataChange;
    if (!change || change.kind === "insert") return [];
    const { table } = change;
    if (!statement.effects.locks.some((l) => l.relation === table && l.existing)) return [];
    const kind = change.kind.toUpperCase();
    const directive = change.kind === "update" ? backfillFor(statement, table) : null;
    const help = directive
      ? {
          help: `Run it as a batched backfill, one short transaction per batch, in a migration of its own (${newCommand(`backfill ${table}`, [])} writes one): ${directive}`,
        }
      : {};
    const ddl = ddlByTable(statement.transaction).get(table);
    if (ddl) {
      const before = ddl.other.sql.index < statement.sql.index;
      const where = change.hasWhere ? "" : " without WHERE";
      const lock = `the ${lockName(ddl.lock.mode)} lock of ${ddl.other.effects.action}`;
      return [
        {
          message: before
            ? `${kind}${where} on existing table ${table} runs in the same transaction after ${ddl.other.effects.action} on it, so ${lock} blocks traffic to ${table} for the whole data change`
            : `${kind}${where} on existing table ${table} runs in the same transaction before ${ddl.other.effects.action} on it, so its row locks are held until ${lock} is taken and the transaction commits`,
          ...help,
        },
      ];
    }
    if (change.hasWhere) return [];
    return [
      {
        message: `${kind} without WHERE changes every row of existing table ${table} in one transaction, holding row locks on all of them until commit`,
        ...help,
      },
    ];
  },
});
