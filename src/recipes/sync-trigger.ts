/**
 * The trigger that keeps an old column and its replacement equal while both application versions write:
 * old code writes the old column, new code the new one, on INSERT and UPDATE alike. `forward` computes the
 * new column from `NEW.<old>`, `reverse` (when there is one) the old column from `NEW.<new>`.
 */
import { qualified, quoteIdent } from "../db/ident.js";
import { makeObjectName } from "../steps/pg-names.js";
import type { TableFacts } from "./catalog.js";
import { tableSql } from "./sql.js";

export interface SyncTrigger {
  create: string[];
  drop: string[];
}

export function syncTrigger(
  table: TableFacts,
  oldColumn: string,
  newColumn: string,
  forward: string,
  reverse: string | null,
): SyncTrigger {
  const name = makeObjectName(table.name, oldColumn, "sync");
  const fn = qualified(table.schema, name);
  const o = `NEW.${quoteIdent(oldColumn)}`;
  const n = `NEW.${quoteIdent(newColumn)}`;
  const back =
    reverse === null ? "NULL; -- no --reverse: the old column keeps its value" : `${o} := ${reverse};`;
  // On INSERT a column the writer left out holds its default or NULL: the new column is NULL exactly when
  // old code wrote the row (the new column has no default until the contract). On UPDATE the column the
  // writer changed wins; a new value that already matches the old column (the backfill) changes nothing.
  const body = [
    "BEGIN",
    "  IF TG_OP = 'INSERT' THEN",
    `    IF ${n} IS NULL THEN`,
    `      ${n} := ${forward};`,
    "    ELSE",
    `      ${back}`,
    "    END IF;",
    `  ELSIF ${n} IS DISTINCT FROM OLD.${quoteIdent(newColumn)} AND ${n} IS DISTINCT FROM ${forward} THEN`,
    `    ${back}`,
    `  ELSIF ${o} IS DISTINCT FROM OLD.${quoteIdent(oldColumn)} THEN`,
    `    ${n} := ${forward};`,
    "  END IF;",
    "  RETURN NEW;",
    "END",
  ].join("\n");
  const t = tableSql(table);
  return {
    create: [
      `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $sync$\n${body}\n$sync$;`,
      `CREATE TRIGGER ${quoteIdent(name)} BEFORE INSERT OR UPDATE ON ${t} FOR EACH ROW EXECUTE FUNCTION ${fn}();`,
    ],
    drop: [`DROP TRIGGER ${quoteIdent(name)} ON ${t};`, `DROP FUNCTION ${fn}();`],
  };
}
