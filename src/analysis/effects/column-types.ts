import type { ColumnType } from "../../sql/ast.js";

/**
 * Whether changing a column's type from `from` to `to` keeps the stored bytes valid (binary
 * coercible, so Postgres neither rewrites nor rescans). These are the cases Postgres documents.
 */
export function isBinaryCoercibleWidening(from: ColumnType, to: ColumnType): boolean {
  if (from.array !== to.array) return false;
  const [fromMod] = from.modifiers;
  const [toMod, toScale] = to.modifiers;
  if (from.name === to.name && sameModifiers(from, to)) return true;
  switch (from.name) {
    case "varchar":
      if (to.name === "text") return true;
      if (to.name !== "varchar") return false;
      return toMod === undefined || (fromMod !== undefined && toMod >= fromMod);
    case "text":
      return to.name === "varchar" && toMod === undefined;
    case "numeric":
      if (to.name !== "numeric") return false;
      if (toMod === undefined) return true;
      // Same scale, more precision.
      return fromMod !== undefined && toMod >= fromMod && (toScale ?? 0) === (from.modifiers[1] ?? 0);
    case "varbit":
      return to.name === "varbit" && (toMod === undefined || (fromMod !== undefined && toMod >= fromMod));
    case "cidr":
      return to.name === "inet";
    default:
      return false;
  }
}

function sameModifiers(a: ColumnType, b: ColumnType): boolean {
  return a.modifiers.length === b.modifiers.length && a.modifiers.every((m, i) => m === b.modifiers[i]);
}

const WIDENINGS: Record<string, string[]> = {
  int2: ["int4", "int8", "numeric"],
  int4: ["int8", "numeric"],
  float4: ["float8"],
  timestamp: ["timestamptz"],
  bpchar: ["varchar", "text"],
};

/** A change that cannot break code still reading and writing the old type (a widening). */
export function isWidening(from: ColumnType, to: ColumnType): boolean {
  return isBinaryCoercibleWidening(from, to) || (WIDENINGS[from.name]?.includes(to.name) ?? false);
}
