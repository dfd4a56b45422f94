/**
 * `--set-not-null table.col [--fill 'expr']`: a CHECK added NOT VALID (new writes are checked at once), the
 * NULLs filled in batches when --fill is given, the CHECK validated without blocking writes, then SET NOT
 * NULL (no scan on Postgres 12+) and the CHECK dropped.
 */
import { UsageError } from "../errors.js";
import type { MigrationParts } from "../migrations/scaffold.js";
import { columnOf, readTable } from "./catalog.js";
import { RECIPE_FLAGS, type RecipeContext, type RecipeRequest } from "./recipe.js";
import { backfill, bare, col, notNullRoute, tableSql } from "./sql.js";

type Request = Extract<RecipeRequest, { kind: "set-not-null" }>;

export async function setNotNull(request: Request, { reader }: RecipeContext): Promise<MigrationParts> {
  const flag = RECIPE_FLAGS["set-not-null"];
  const table = await readTable(reader, request.column, flag);
  const column = columnOf(table, request.column.column, flag, reader.where);
  if (column.notNull)
    throw new UsageError(`${flag}: ${table.schema}.${table.name}.${column.name} is NOT NULL already`);
  const route = notNullRoute(table, column.name);
  const c = col(column.name);
  return {
    noTransaction: true,
    expand: [
      ...route.add,
      ...(request.fill === null
        ? []
        : [backfill(table, `${bare(column.name)} = ${request.fill}`, `${bare(column.name)} IS NULL`)]),
      ...route.rest,
    ],
    contract: [],
    rollback: [`ALTER TABLE ${tableSql(table)} ALTER COLUMN ${c} DROP NOT NULL;`],
  };
}
