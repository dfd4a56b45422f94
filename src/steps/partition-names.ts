/** Parse-tree pieces the partition routes share: relations by display name, and ALTER INDEX ... ATTACH PARTITION. */
import type { Node, RangeVar } from "libpg-query";

/**
 * A display name (`schema.name`, or `name` for public) as a RangeVar. `inh` is always set: the printer
 * writes `ONLY` for a RangeVar without it.
 */
export function rangeVar(display: string, only = false): RangeVar {
  const dot = display.indexOf(".");
  const relation: RangeVar =
    dot === -1
      ? { relname: display, relpersistence: "p" }
      : { schemaname: display.slice(0, dot), relname: display.slice(dot + 1), relpersistence: "p" };
  if (!only) relation.inh = true;
  return relation;
}

/** The schema part of a display name (null for public). */
function schemaOf(display: string): string | null {
  const dot = display.indexOf(".");
  return dot === -1 ? null : display.slice(0, dot);
}

/** The relation name without its schema. */
export function relname(display: string): string {
  return display.slice(display.indexOf(".") + 1);
}

/** An index lives in its table's schema: the display name of index `name` on `table`. */
export function indexOn(table: string, name: string): string {
  const schema = schemaOf(table);
  return schema ? `${schema}.${name}` : name;
}

/** `ALTER INDEX parent ATTACH PARTITION child` (both display names). */
export function attachIndex(parent: string, child: string): Node {
  return {
    AlterTableStmt: {
      relation: rangeVar(parent),
      cmds: [
        {
          AlterTableCmd: {
            subtype: "AT_AttachPartition",
            def: { PartitionCmd: { name: rangeVar(child) } },
            behavior: "DROP_RESTRICT",
          },
        },
      ],
      objtype: "OBJECT_INDEX",
    },
  };
}
