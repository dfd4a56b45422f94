import { type LockMode, lockName } from "../locks.js";
import type { AnalyzedStatement, RelationLock, TransactionGroup } from "../model.js";
import { defineRule, type RuleReport } from "../rule.js";
import { isTransactionControl, perGroup } from "./transactions.js";

const STRONG = new Set<LockMode>(["AccessExclusiveLock", "ShareLock"]);

/** The strong locks a statement takes on existing relations, an index standing for its table. */
function strongLocks(statement: AnalyzedStatement): Array<RelationLock & { table: string }> {
  const strong = statement.effects.locks.filter((l) => l.existing && STRONG.has(l.mode));
  // Most statements take none: no index map for them.
  if (strong.length === 0) return [];
  const tableOf = new Map(statement.effects.indexes.map(({ index, table }) => [index, table]));
  return strong.map((l) => ({ ...l, table: tableOf.get(l.relation) ?? l.relation }));
}

/** Transaction control and SET/RESET take no lock and finish at once: they do not prolong the hold. */
function instant(statement: AnalyzedStatement): boolean {
  return isTransactionControl(statement) || statement.effects.kind === "VariableSetStmt";
}

/** The reports of one transaction group, by statement: computed once per group. */
const groupReports = perGroup((group: TransactionGroup): Map<AnalyzedStatement, RuleReport[]> => {
  const reports = new Map<AnalyzedStatement, string[]>();
  const add = (s: AnalyzedStatement, m: string) => reports.set(s, [...(reports.get(s) ?? []), m]);
  let held: { statement: AnalyzedStatement; lock: RelationLock & { table: string } } | null = null;
  let heldReported = false;
  const tables: string[] = [];
  for (const statement of group.statements) {
    if (held && !heldReported && !instant(statement)) {
      heldReported = true;
      const { lock } = held;
      add(
        statement,
        `${statement.effects.action} runs while the ${lockName(lock.mode)} lock on ${lock.table} taken by ${held.statement.effects.action} earlier in this transaction is still held (until commit)`,
      );
    }
    const locks = strongLocks(statement);
    const [first] = locks;
    if (first) held ??= { statement, lock: first };
    if (tables.length >= 2) continue;
    for (const lock of locks) if (!tables.includes(lock.table)) tables.push(lock.table);
    if (tables.length >= 2)
      add(
        statement,
        `this transaction takes strong locks on ${tables.length} existing tables (${tables.join(", ")}), so each one blocks traffic while the next is waited for, with a deadlock risk`,
      );
  }
  return new Map([...reports].map(([s, messages]) => [s, [{ message: messages.join("; and ") }]]));
});

export default defineRule({
  id: "strong-lock-held",
  category: "lock",
  defaultSeverity: "warning",
  description:
    "In one transaction, statements after one that took ACCESS EXCLUSIVE or SHARE on an existing table, or strong locks on several tables.",
  help: "Take one strong lock per transaction, as its last step: split the migration or reorder it.",
  check(statement) {
    return groupReports(statement.transaction).get(statement) ?? [];
  },
});
