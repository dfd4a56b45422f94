import type { ColumnDef } from "libpg-query";
import type { Migration } from "../../migrations/model.js";
import { nodeBody } from "../../sql/ast.js";
import { blocks, type LockMode } from "../locks.js";
import type { AnalyzedMigration, AnalyzedStatement, CommandEffects, TransactionGroup } from "../model.js";
import type { RuleReport } from "../rule.js";
import { nameAt } from "./columns.js";

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

/** How far before a column's name its clause's keywords may start (ADD COLUMN IF NOT EXISTS, spaced out). */
const CLAUSE_REACH = 200;

/** The keywords before the column's name, anchored at the name. */
const CLAUSE_HEAD: Record<string, RegExp> = {
  AT_AddColumn: /\bADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?$/i,
  AT_AlterColumnType: /\bALTER\s+(?:COLUMN\s+)?$/i,
};

/** ALTER COLUMN TYPE: the keywords after the column's name. */
const TYPE_TAIL = /\s+(?:SET\s+DATA\s+)?TYPE\b/iy;

/**
 * The `ADD [COLUMN] name` / `ALTER [COLUMN] name [SET DATA] TYPE` clause of an ALTER TABLE sub-command,
 * from the column's location in the parse tree; the whole statement when the keywords around it are not
 * plain (a comment between them).
 */
export function commandRange(statement: AnalyzedStatement, command: CommandEffects): Partial<RuleReport> {
  const head = CLAUSE_HEAD[command.subtype];
  const def = nodeBody<ColumnDef>(command.ast.def, "ColumnDef");
  const name = head && command.column ? nameAt(statement, def?.location, command.column) : null;
  if (!head || !name) return {};
  const text = statement.migration.file.upText;
  const from = Math.max(statement.sql.start, name.start - CLAUSE_REACH);
  const keywords = head.exec(text.slice(from, name.start));
  if (!keywords) return {};
  const start = from + keywords.index;
  if (command.subtype !== "AT_AlterColumnType") return { start, end: name.end };
  TYPE_TAIL.lastIndex = name.end;
  return TYPE_TAIL.test(text) ? { start, end: TYPE_TAIL.lastIndex } : {};
}
