import type { Migration } from "../../migrations/model.js";
import { blocks, type LockMode } from "../locks.js";
import type { AnalyzedMigration, AnalyzedStatement, CommandEffects, TransactionGroup } from "../model.js";
import type { RuleReport } from "../rule.js";

/** Shared helpers of the lock and transaction rules. */

/** What a lock blocks, in words: "reads and writes", "writes" or "nothing". */
export function blockedTraffic(mode: LockMode): string {
  return blocks(mode).replace("+", " and ");
}

/**
 * The owning tool (goose, dbmate, diesel, flyway, pop...) runs the whole file inside one transaction. The
 * tool's own opt-out (goose `NO TRANSACTION`, dbmate `transaction:false`, ...) and
 * `-- safemigrate:no-transaction` both say it does not: the directive is the file's author saying the file
 * runs without one (under safemigrate), and every rule reads the file the same way.
 */
export function wrappedByTool(file: AnalyzedMigration): boolean {
  return file.migration.file.runsInTransaction && !file.noTransaction;
}

export function toolName(migration: Migration): string {
  return migration.layout === "plain" ? "the migration tool" : migration.layout;
}

/** BEGIN, COMMIT, ROLLBACK, SAVEPOINT and the like. */
export function isTransactionControl(statement: AnalyzedStatement): boolean {
  return statement.effects.transactionControl !== null;
}

/**
 * A function of a transaction group, computed once per group: rules that look across a group use it
 * so that a file of thousands of statements in one transaction stays linear.
 */
export function perGroup<T>(compute: (group: TransactionGroup) => T): (group: TransactionGroup) => T {
  const cache = new WeakMap<TransactionGroup, T>();
  return (group) => {
    if (!cache.has(group)) cache.set(group, compute(group));
    return cache.get(group) as T;
  };
}

/** Compiled clause patterns by source: a migration set names the same columns again and again. */
const clausePatterns = new Map<string, RegExp>();

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The `ADD [COLUMN] name` / `ALTER [COLUMN] name [SET DATA] TYPE` clause of an ALTER TABLE sub-command,
 * found in the statement's text; the whole statement when it cannot be found cheaply.
 */
export function commandRange(statement: AnalyzedStatement, command: CommandEffects): Partial<RuleReport> {
  if (!command.column) return {};
  const name = `"?${escapeRegExp(command.column)}"?(?![\\w$])`;
  const pattern =
    command.subtype === "AT_AddColumn"
      ? `\\bADD\\s+(?:COLUMN\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?${name}`
      : command.subtype === "AT_AlterColumnType"
        ? `\\bALTER\\s+(?:COLUMN\\s+)?${name}\\s+(?:SET\\s+DATA\\s+)?TYPE\\b`
        : null;
  if (!pattern) return {};
  let regExp = clausePatterns.get(pattern);
  if (!regExp) {
    regExp = new RegExp(pattern, "i");
    clausePatterns.set(pattern, regExp);
  }
  const match = regExp.exec(statement.sql.text);
  if (!match) return {};
  const start = statement.sql.start + match.index;
  return { start, end: start + match[0].length };
}
