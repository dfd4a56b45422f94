import type { ColumnDef } from "libpg-query";
import { type ColumnType, nodeBody } from "../../sql/ast.js";
import type { AddColumnInfo, AnalyzedStatement } from "../model.js";
import type { RuleReport } from "../rule.js";

/** Helpers shared by the rules about new columns (prefer-bigint, prefer-identity, prefer-text, ...). */

export interface NewColumn {
  name: string;
  /** `table.column`, for messages. */
  label: string;
  info: AddColumnInfo;
  def: ColumnDef | undefined;
}

/** The columns a statement adds: those of `CREATE TABLE` and of `ALTER TABLE ... ADD COLUMN`. */
export function newColumns(statement: AnalyzedStatement): NewColumn[] {
  const table = statement.effects.target ?? "";
  return statement.effects.commands.flatMap((command) => {
    if (!command.addColumn) return [];
    const def = nodeBody<ColumnDef>(command.ast.def, "ColumnDef");
    const name = command.column ?? "";
    return [{ name, label: `${table}.${name}`, info: command.addColumn, def }];
  });
}

const SQL_NAMES: Record<string, string> = {
  int2: "smallint",
  int4: "integer",
  int8: "bigint",
  serial2: "smallserial",
  serial4: "serial",
  serial8: "bigserial",
  bpchar: "char",
};

/** A type as written in SQL (`integer`, `varchar(20)`, `char(2)`), for messages. */
export function sqlType(type: ColumnType): string {
  const mods = type.modifiers.length > 0 ? `(${type.modifiers.join(",")})` : "";
  return `${SQL_NAMES[type.name] ?? type.name}${mods}${type.array ? "[]" : ""}`;
}

/** The string range of a name at an AST location, checked against the name found there. */
export function nameAt(
  statement: AnalyzedStatement,
  location: number | undefined,
  name: string,
): { start: number; end: number } | null {
  if (location === undefined || location < 0 || !name) return null;
  const { sql } = statement;
  const index = sql.locate(location);
  if (index < sql.start || index >= sql.end) return null;
  const text = statement.migration.file.upText;
  const quoted = text[index] === '"' ? 1 : 0;
  const found = text.slice(index + quoted, index + quoted + name.length);
  return found.toLowerCase() === name.toLowerCase()
    ? { start: index, end: index + name.length + 2 * quoted }
    : null;
}

/**
 * A report pointing at a column definition (its name) when it can be found, else at the statement.
 * `name` defaults to the definition's own (ALTER COLUMN TYPE definitions have none).
 */
export function columnReport(
  statement: AnalyzedStatement,
  def: ColumnDef | undefined,
  message: string,
  name = def?.colname ?? "",
): RuleReport {
  const range = nameAt(statement, def?.location, name);
  return range ? { message, ...range } : { message };
}
