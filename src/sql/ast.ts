import type { Node, RangeVar, TypeName } from "libpg-query";

/** Helpers for reading libpg-query parse trees (nodes are `{ TypeName: body }` objects). */

export function nodeBody<T = Record<string, unknown>>(node: Node | undefined, type: string): T | undefined {
  return node && type in node ? ((node as Record<string, unknown>)[type] as T) : undefined;
}

/** A relation's display name: schema-qualified only where the schema is not `public`. */
export function relationName(rv: RangeVar | undefined): string {
  if (!rv?.relname) return "";
  return qualifiedName(rv.schemaname, rv.relname);
}

export function qualifiedName(schema: string | undefined, name: string): string {
  return schema && schema !== "public" ? `${schema}.${name}` : name;
}

/** The strings of a name list such as `["public", "t"]` from `{ String: { sval } }` nodes. */
export function stringList(nodes: Node[] | undefined): string[] {
  return (nodes ?? []).map((n) => nodeBody<{ sval?: string }>(n, "String")?.sval ?? "");
}

/** A list of `String` nodes naming an object, as its display name (`schema.name` unless public). */
export function dottedName(nodes: Node[] | undefined): string {
  const parts = stringList(nodes);
  const name = parts.at(-1) ?? "";
  return parts.length > 1 ? qualifiedName(parts.at(-2), name) : name;
}

const TYPE_ALIASES: Record<string, string> = {
  int: "int4",
  integer: "int4",
  int4: "int4",
  smallint: "int2",
  int2: "int2",
  bigint: "int8",
  int8: "int8",
  serial: "serial4",
  serial4: "serial4",
  bigserial: "serial8",
  serial8: "serial8",
  smallserial: "serial2",
  serial2: "serial2",
  varchar: "varchar",
  "character varying": "varchar",
  char: "bpchar",
  character: "bpchar",
  bpchar: "bpchar",
  decimal: "numeric",
  numeric: "numeric",
  timestamp: "timestamp",
  timestamptz: "timestamptz",
  bool: "bool",
  boolean: "bool",
  float8: "float8",
  "double precision": "float8",
  float4: "float4",
  real: "float4",
};

/** A column type, normalised: base name (pg_catalog spelling), modifiers, array flag. */
export interface ColumnType {
  name: string;
  modifiers: number[];
  array: boolean;
}

export function columnType(typeName: TypeName | undefined): ColumnType {
  const parts = stringList(typeName?.names);
  const raw = (parts.length > 1 && parts[0] === "pg_catalog" ? parts[1] : parts.at(-1)) ?? "";
  const name = TYPE_ALIASES[raw.toLowerCase()] ?? raw.toLowerCase();
  const modifiers = (typeName?.typmods ?? []).map((m) => {
    const c = nodeBody<{ ival?: { ival?: number } }>(m, "A_Const");
    return c?.ival?.ival ?? 0;
  });
  return { name, modifiers, array: (typeName?.arrayBounds?.length ?? 0) > 0 };
}

export function formatColumnType(type: ColumnType): string {
  const mods = type.modifiers.length > 0 ? `(${type.modifiers.join(",")})` : "";
  return `${type.name}${mods}${type.array ? "[]" : ""}`;
}

/** Visits every node of a tree, depth first; `visit` gets the node type and body. */
export function walk(tree: unknown, visit: (type: string, body: Record<string, unknown>) => void): void {
  // An explicit stack, not recursion: a parse tree can nest thousands deep (`1 + 1 + ...`), deeper than the
  // call stack. Children are pushed in reverse so that nodes are visited in the order a recursive walk
  // would visit them. A plain key loop and a character test: walks run over every parse tree, and entry
  // arrays and a regular expression per key were a visible share of lint's time on large inputs.
  const stack: Array<[string | null, unknown]> = [[null, tree]];
  const children: Array<[string | null, unknown]> = [];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const [key, value] = entry;
    if (value === null || typeof value !== "object") continue;
    const isArray = Array.isArray(value);
    if (key !== null && !isArray) {
      const first = key.charCodeAt(0);
      if (first >= 65 && first <= 90) visit(key, value as Record<string, unknown>);
    }
    children.length = 0;
    if (isArray) for (const item of value) children.push([null, item]);
    else {
      const object = value as Record<string, unknown>;
      for (const name in object) {
        const child = object[name];
        if (child !== null && typeof child === "object") children.push([name, child]);
      }
    }
    for (let n = children.length - 1; n >= 0; n--) stack.push(children[n] as [string | null, unknown]);
  }
}

/** Names of the functions a tree calls, lower-cased, without schema. */
export function calledFunctions(tree: unknown): string[] {
  const names: string[] = [];
  walk(tree, (type, body) => {
    if (type === "FuncCall") names.push((stringList(body.funcname as Node[]).at(-1) ?? "").toLowerCase());
  });
  return names;
}

/** String constants in a tree (for values an expression uses). */
export function stringConstants(tree: unknown): string[] {
  const values: string[] = [];
  walk(tree, (type, body) => {
    if (type === "A_Const") {
      const sval = (body.sval as { sval?: string } | undefined)?.sval;
      if (sval !== undefined) values.push(sval);
    }
  });
  return values;
}

/**
 * A boolean option of a parenthesised option list (`REINDEX (CONCURRENTLY false)`, `VACUUM (FULL off)`),
 * read as Postgres reads it (defGetBoolean): a bare option is true; 1 and 0, and true, false, on, off in
 * any case, quoted or not, set it; a later mention overrides an earlier one (`REINDEX (...) INDEX
 * CONCURRENTLY i` appends one). `undefined` when the option is absent, `null` for a value Postgres rejects
 * ("requires a Boolean value": yes, no, 2, 1.0...).
 */
export function booleanOption(options: Node[] | undefined, name: string): boolean | null | undefined {
  let value: boolean | null | undefined;
  for (const node of options ?? []) {
    const option = nodeBody<{ defname?: string; arg?: Node }>(node, "DefElem");
    if (option?.defname?.toLowerCase() === name) value = booleanValue(option.arg);
  }
  return value;
}

function booleanValue(arg: Node | undefined): boolean | null {
  if (!arg) return true;
  const integer = nodeBody<{ ival?: number }>(arg, "Integer");
  // The parse tree leaves out a zero ival.
  if (integer)
    return integer.ival === undefined || integer.ival === 0 ? false : integer.ival === 1 ? true : null;
  const text = nodeBody<{ sval?: string }>(arg, "String")?.sval?.toLowerCase();
  if (text === "true" || text === "on") return true;
  if (text === "false" || text === "off") return false;
  return null;
}

/** `CreateIndex` -> `CREATE INDEX`, `AccessExclusive` -> `ACCESS EXCLUSIVE`: a node or mode name as SQL spells it. */
export function upperWords(name: string): string {
  let words = spelled.get(name);
  if (words === undefined) {
    words = name.replace(/([a-z])([A-Z])/g, "$1 $2").toUpperCase();
    spelled.set(name, words);
  }
  return words;
}

/**
 * upperWords' results: the names are node types, sub-command types and lock modes, a few dozen in all,
 * spelled again for every statement of a large file.
 */
const spelled = new Map<string, string>();
