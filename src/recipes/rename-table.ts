/**
 * `--rename-table old new`: the table renamed and, in the same transaction, an updatable view under the old
 * name (`SELECT *` of one table: Postgres writes through it), so that old code reads and writes through the
 * view and new code uses the table; the contract drops the view.
 */
import { qualified, quoteLiteral } from "../db/ident.js";
import { UsageError } from "../errors.js";
import type { MigrationParts } from "../migrations/scaffold.js";
import { readTable } from "./catalog.js";
import { RECIPE_FLAGS, type RecipeContext, type RecipeRequest } from "./recipe.js";
import { col, tableSql } from "./sql.js";

type Request = Extract<RecipeRequest, { kind: "rename-table" }>;

export async function renameTable(request: Request, { reader }: RecipeContext): Promise<MigrationParts> {
  const flag = RECIPE_FLAGS["rename-table"];
  const table = await readTable(reader, request.table, flag);
  const target = qualified(table.schema, request.to);
  const [taken] = await reader.rows<{ taken: boolean }>(
    `SELECT to_regclass(${quoteLiteral(target)}) IS NOT NULL AS taken`,
  );
  if (taken?.taken) throw new UsageError(`${flag}: ${table.schema}.${request.to} exists already`);
  const old = tableSql(table);
  return {
    noTransaction: true,
    expand: [
      "BEGIN;",
      "-- safemigrate:ignore rename-table, contract-in-expand -- the view below keeps the old name working",
      `ALTER TABLE ${old} RENAME TO ${col(request.to)};`,
      `CREATE VIEW ${old} AS SELECT * FROM ${target};`,
      "COMMIT;",
    ],
    contract: [`DROP VIEW ${old};`],
    rollback: [
      "BEGIN;",
      `DROP VIEW ${old};`,
      `ALTER TABLE ${target} RENAME TO ${col(table.name)};`,
      "COMMIT;",
    ],
  };
}
