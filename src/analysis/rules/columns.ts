import type { ColumnDef } from "libpg-query";
import { type ColumnType, nodeBody } from "../../sql/ast.js";
import type { AddColumnInfo, AnalyzedStatement, CommandEffects } from "../model.js";
import type { RuleReport } from "../rule.js";

/** Helpers shared by the rules about new columns (prefer-bigint, prefer-identity, prefer-text, ...). */

export interface NewColumn {
  name: string;
  /** `table.column`, for messages. */
  label: string;
  info: AddColumnInfo;
  def: ColumnDef | undefined;
}

/**
 * The columns a statement adds: those of `CREATE TABLE` and of `ALTER TABLE ... ADD COLUMN`. Read once per
 * statement (the four prefer-* rules each ask); the list is shared, and callers only read it.
 */
export function newColumns(statement: AnalyzedStatement): readonly NewColumn[] {
  let columns = columnsOf.get(statement);
  if (!columns) {
    const table = statement.effects.target ?? "";
    columns = [];
    for (const command of statement.effects.commands) {
      if (!command.addColumn) continue;
      const def = nodeBody<ColumnDef>(command.ast.def, "ColumnDef");
      const name = command.column ?? "";
      columns.push({ name, label: `${table}.${name}`, info: command.addColumn, def });
    }
    columnsOf.set(statement, columns);
  }
  return columns;
}

const columnsOf = new WeakMap<AnalyzedStatement, NewColumn[]>();

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
function nameAt(
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
