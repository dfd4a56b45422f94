/**
 * The names Postgres gives unnamed indexes and constraints. A rewrite that splits a statement must name the
 * object it creates (to validate it, to attach it with USING INDEX, to find an INVALID leftover of a killed
 * build), and it uses the name Postgres would have chosen, so that later migrations that refer to the
 * default name still work. (Postgres appends a number when that name is taken; the rewrite does not, so the
 * statement then fails with "already exists" instead of silently creating a second object.)
 */
import type { IndexStmt, Node } from "libpg-query";
import { nodeBody, stringList, walk } from "../sql/ast.js";
import { byteLength, clipToBytes, MAX_IDENTIFIER_BYTES } from "../sql/identifier.js";

/**
 * makeObjectName (src/backend/commands/indexcmds.c): `name1_name2_label`, truncating the longer of name1
 * and name2 first so that the whole fits in 63 bytes.
 */
export function makeObjectName(name1: string, name2: string | null, label: string | null): string {
  let overhead = 0;
  if (name2 !== null) overhead++;
  if (label !== null) overhead += byteLength(label) + 1;
  const available = MAX_IDENTIFIER_BYTES - overhead;
  let chars1 = byteLength(name1);
  let chars2 = name2 === null ? 0 : byteLength(name2);
  while (chars1 + chars2 > available) {
    if (chars1 > chars2) chars1--;
    else chars2--;
  }
  let name = clipToBytes(name1, chars1);
  if (name2 !== null) name += `_${clipToBytes(name2, chars2)}`;
  if (label !== null) name += `_${label}`;
  return name;
}

/** ChooseIndexNameAddition: column names joined with `_`, stopping once 63 bytes are reached. */
export function nameAddition(columns: string[]): string {
  let out = "";
  for (const column of columns) {
    if (out.length > 0) out += "_";
    out += clipToBytes(column, MAX_IDENTIFIER_BYTES);
    if (byteLength(out) >= MAX_IDENTIFIER_BYTES + 1) break;
  }
  return out;
}

/**
 * The name Postgres derives for an index column: the column, else the expression's name as
 * FigureColnameInternal sees it (a function's name, a cast's inner name or type), else `expr`.
 */
function indexColumnName(element: { name?: string; expr?: Node; indexcolname?: string }): string {
  if (element.indexcolname) return element.indexcolname;
  if (element.name) return element.name;
  return (element.expr && expressionName(element.expr)) ?? "expr";
}

function expressionName(node: Node): string | null {
  const column = nodeBody<{ fields?: Node[] }>(node, "ColumnRef");
  if (column) {
    const last = column.fields?.at(-1);
    return last && "String" in last ? (stringList([last])[0] ?? null) : null;
  }
  const call = nodeBody<{ funcname?: Node[] }>(node, "FuncCall");
  if (call) return stringList(call.funcname).at(-1) ?? null;
  const cast = nodeBody<{ arg?: Node; typeName?: { names?: Node[] } }>(node, "TypeCast");
  if (cast) return (cast.arg && expressionName(cast.arg)) ?? stringList(cast.typeName?.names).at(-1) ?? null;
  if ("CoalesceExpr" in node) return "coalesce";
  if ("CaseExpr" in node) return "case";
  if ("A_ArrayExpr" in node) return "array";
  if ("RowExpr" in node) return "row";
  const minmax = nodeBody<{ op?: string }>(node, "MinMaxExpr");
  if (minmax) return minmax.op === "IS_GREATEST" ? "greatest" : "least";
  return null;
}

/** CHECK constraints are named `table_column_check` when they mention exactly one column, else `table_check`. */
export function checkConstraintName(table: string, expression: Node | undefined): string {
  const columns = new Set<string>();
  walk(expression, (type, body) => {
    if (type === "ColumnRef") columns.add(stringList(body.fields as Node[]).at(-1) ?? "");
  });
  const only = columns.size === 1 ? ([...columns][0] as string) : null;
  return makeObjectName(table, only, "check");
}

/** The name Postgres gives an unnamed index: `table_col1_col2_idx`, INCLUDE columns counted. */
export function defaultIndexName(stmt: IndexStmt): string {
  const columns = [...(stmt.indexParams ?? []), ...(stmt.indexIncludingParams ?? [])].map((p) => {
    const element = nodeBody<{ name?: string; expr?: Node; indexcolname?: string }>(p, "IndexElem") ?? {};
    return indexColumnName(element);
  });
  return makeObjectName(stmt.relation?.relname ?? "", nameAddition(columns), "idx");
}
