import type { ColumnDef } from "libpg-query";
import { type ColumnType, nodeBody } from "../../sql/ast.js";
import { ByteOffsets } from "../../sql/source.js";
import type { AnalyzedFile } from "../analyze.js";
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

const byteOffsets = new WeakMap<AnalyzedFile, ByteOffsets>();

/**
 * The string range of a name at an AST location. libpg-query locations are UTF-8 byte offsets into
 * the text it parsed: the whole file, or only the statement when the file had to be parsed statement
 * by statement (after a syntax error). Each reading is checked against the name found there.
 */
function nameAt(
  statement: AnalyzedStatement,
  file: AnalyzedFile,
  location: number | undefined,
  name: string,
): { start: number; end: number } | null {
  if (location === undefined || location < 0 || !name) return null;
  const text = file.migration.file.upText;
  let offsets = byteOffsets.get(file);
  if (!offsets) {
    offsets = new ByteOffsets(text);
    byteOffsets.set(file, offsets);
  }
  const { sql } = statement;
  const inFile = offsets.toIndex(location);
  const inStatement = sql.start + new ByteOffsets(sql.text).toIndex(location);
  const splitFile = file.parsed.statements.some((s) => s.error);
  for (const index of splitFile ? [inStatement, inFile] : [inFile, inStatement]) {
    if (index < sql.start || index >= sql.end) continue;
    const quoted = text[index] === '"' ? 1 : 0;
    const found = text.slice(index + quoted, index + quoted + name.length);
    if (found.toLowerCase() === name.toLowerCase())
      return { start: index, end: index + name.length + 2 * quoted };
  }
  return null;
}

/**
 * A report pointing at a column definition (its name) when it can be found, else at the statement.
 * `name` defaults to the definition's own (ALTER COLUMN TYPE definitions have none).
 */
export function columnReport(
  statement: AnalyzedStatement,
  file: AnalyzedFile,
  def: ColumnDef | undefined,
  message: string,
  name = def?.colname ?? "",
): RuleReport {
  const range = nameAt(statement, file, def?.location, name);
  return range ? { message, ...range } : { message };
}
