import { createHash } from "node:crypto";
import { type Finding, lintMigrations } from "../../src/analysis/lint.js";
import type { Migration } from "../../src/migrations/migration.js";
import { initParser } from "../../src/sql/parse.js";

await initParser();

export interface LintSqlOptions {
  pgVersion?: number;
  /** The owning tool wraps each file in a transaction (diesel, goose, dbmate...). */
  runsInTransaction?: boolean;
  noTransaction?: boolean;
}

/** An in-memory migration, as if read from `<n>_test.sql`. */
export function migrationFromSql(text: string, index = 1, options: LintSqlOptions = {}): Migration {
  const version = String(index).padStart(4, "0");
  return {
    version,
    name: "test",
    layout: "plain",
    checksum: createHash("sha256").update(text).digest("hex"),
    file: {
      path: `${version}_test.sql`,
      text,
      upText: text,
      runsInTransaction: options.runsInTransaction ?? false,
      noTransaction: options.noTransaction ?? false,
    },
  };
}

/**
 * Lints one or more migration files given as SQL text, in order: tables created by an earlier file
 * count as existing in a later one, as they would in a real history.
 */
export function lintSql(sql: string | string[], options: LintSqlOptions = {}): Finding[] {
  const files = Array.isArray(sql) ? sql : [sql];
  const migrations = files.map((text, i) => migrationFromSql(text, i + 1, options));
  return lintMigrations(migrations, { pgVersion: options.pgVersion ?? 14 }).findings;
}

/** The ids of the findings of one rule, for compact assertions. */
export function findingsOf(rule: string, sql: string | string[], options: LintSqlOptions = {}): Finding[] {
  return lintSql(sql, options).filter((f) => f.rule === rule);
}
