/** A recipe request as parsed from the command line, and what every recipe checks before it writes SQL. */
import { UsageError } from "../errors.js";
import type { CatalogReader, ColumnFacts, TableFacts } from "./catalog.js";
import type { ColumnRef, TableRef } from "./names.js";

export type RecipeRequest =
  | { kind: "rename-column"; column: ColumnRef; to: string }
  | { kind: "change-type"; column: ColumnRef; type: string; using: string; reverse: string | null }
  | { kind: "add-column"; column: ColumnRef; type: string; default: string; notNull: boolean }
  | { kind: "set-not-null"; column: ColumnRef; fill: string | null }
  | { kind: "rename-table"; table: TableRef; to: string };

/** The recipe flags, by request kind (for messages). */
export const RECIPE_FLAGS: Record<RecipeRequest["kind"], string> = {
  "rename-column": "--rename-column",
  "change-type": "--change-type",
  "add-column": "--add-column",
  "set-not-null": "--set-not-null",
  "rename-table": "--rename-table",
};

export interface RecipeContext {
  reader: CatalogReader;
  pgVersion: number;
}

/**
 * A column the trigger recipes copy: identity and generated columns are written by Postgres, not by the
 * application, and a column other tables reference cannot be dropped without dropping their foreign keys.
 */
export function refuseUncopyable(table: TableFacts, column: ColumnFacts, flag: string): void {
  const shown = `${table.schema}.${table.name}.${column.name}`;
  if (column.identity)
    throw new UsageError(`${flag}: ${shown} is an identity column, which this recipe cannot copy`);
  if (column.generated)
    throw new UsageError(`${flag}: ${shown} is a generated column, which this recipe cannot copy`);
  const referencing = table.referencedBy.find((r) => r.columns.includes(column.name));
  if (referencing)
    throw new UsageError(
      `${flag}: ${shown} is referenced by foreign key ${referencing.name} of ${referencing.table}; move that foreign key first`,
    );
  const exclusion = table.constraints.find((c) => c.type === "x" && c.columns.includes(column.attnum));
  if (exclusion)
    throw new UsageError(
      `${flag}: ${shown} is in exclusion constraint ${exclusion.name}, which has no concurrent build`,
    );
}
