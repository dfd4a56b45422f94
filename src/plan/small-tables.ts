/**
 * Small-table leniency, the one answer for `up`'s lint gate and `lint --stats-file`: a lock or rewrite
 * finding matters little when every existing relation it is about has fewer rows than smallTableRows.
 */

import type { Category } from "../analysis/rule.js";

/**
 * The categories of findings whose hazard grows with the table (a lock held while it is rewritten or read);
 * compatibility findings never depend on size: an empty table's column is still read by running code.
 */
export const SIZE_DEPENDENT: ReadonlySet<Category> = new Set<Category>(["lock", "rewrite"]);

/**
 * Every one of `relations` is small: it has fewer than `threshold` rows, or is absent from `rows` (it does
 * not exist in the database yet: a pending migration creates it). A relation whose row count is unknown
 * (never analysed) is in `rows` as Infinity: not small. No relation at all is not small either.
 */
export function allSmall(relations: string[], rows: Map<string, number>, threshold: number): boolean {
  return relations.length > 0 && relations.every((r) => !rows.has(r) || (rows.get(r) as number) < threshold);
}
