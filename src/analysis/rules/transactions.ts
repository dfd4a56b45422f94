/** Shared readers of the transaction rules: who wraps the file in a transaction, and per-group caches. */
import type { Migration } from "../../migrations/migration.js";
import type { AnalyzedMigration, AnalyzedStatement, TransactionGroup } from "../model.js";

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
