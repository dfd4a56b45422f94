/**
 * `--add-column table.col type --default 'expr' [--not-null]`. A default Postgres can store once (a constant,
 * `now()`) is added as written: no rewrite on Postgres 11+. A volatile one (`gen_random_uuid()`, `random()`,
 * `clock_timestamp()`, `nextval`) would rewrite the table under ACCESS EXCLUSIVE: the column is added
 * without it, the default set for new rows, existing rows backfilled in batches, then NOT NULL by the CHECK route.
 */

import { lintMigrations } from "../analysis/lint.js";
import { UsageError } from "../errors.js";
import { readMigrationFile } from "../migrations/read-file.js";
import type { MigrationParts } from "../migrations/scaffold.js";
import { readTable, refuseExisting, typeExists } from "./catalog.js";
import { RECIPE_FLAGS, type RecipeContext, type RecipeRequest } from "./recipe.js";
import { backfill, bare, col, notNullRoute, tableSql } from "./sql.js";

type Request = Extract<RecipeRequest, { kind: "add-column" }>;

/** Whether lint finds that adding the column with its default in one statement rewrites the table. */
function rewrites(statement: string, pgVersion: number): boolean {
  const migration = readMigrationFile("<add-column>", statement, { layout: "plain" });
  const [file] = lintMigrations([migration], { pgVersion }).files;
  return (file?.findings ?? []).some(
    (f) => f.rule === "add-column-rewrite" || f.rule === "add-column-required",
  );
}

export async function addColumn(
  request: Request,
  { reader, pgVersion }: RecipeContext,
): Promise<MigrationParts> {
  const flag = RECIPE_FLAGS["add-column"];
  const table = await readTable(reader, request.column, flag);
  refuseExisting(table, request.column.column, flag);
  if (!(await typeExists(reader, request.type)))
    throw new UsageError(`${flag}: no type ${request.type} in ${reader.where}`);
  const t = tableSql(table);
  const name = request.column.column;
  const c = col(name);
  const whole = `ALTER TABLE ${t} ADD COLUMN ${c} ${request.type} DEFAULT ${request.default}${request.notNull ? " NOT NULL" : ""};`;
  const down = [`ALTER TABLE ${t} DROP COLUMN ${c};`];
  if (!rewrites(whole, pgVersion))
    return { noTransaction: true, expand: [whole], contract: [], rollback: down };
  const notNull = request.notNull ? notNullRoute(table, request.column.column) : { add: [], rest: [] };
  return {
    noTransaction: true,
    expand: [
      "BEGIN;",
      `ALTER TABLE ${t} ADD COLUMN ${c} ${request.type};`,
      // New rows get the default from now on; the rows already there are filled below.
      `ALTER TABLE ${t} ALTER COLUMN ${c} SET DEFAULT ${request.default};`,
      "COMMIT;",
      ...notNull.add,
      backfill(table, `${bare(name)} = ${request.default}`, `${bare(name)} IS NULL`),
      ...notNull.rest,
    ],
    contract: [],
    rollback: down,
  };
}
