/**
 * `--rename-column table.old new`: a new column beside the old one, kept equal by a trigger whichever one a
 * writer sets, backfilled in batches, NOT NULL through the CHECK route, its indexes and constraints built by
 * the safe routes; the contract drops the trigger, its function and the old column.
 */
import { quoteIdent } from "../db/ident.js";
import type { MigrationParts } from "../migrations/scaffold.js";
import { columnOf, readTable, refuseExisting } from "./catalog.js";
import { RECIPE_FLAGS, type RecipeContext, type RecipeRequest, refuseUncopyable } from "./recipe.js";
import { backfill, bare, col, notNullRoute, recreateFor, tableSql } from "./sql.js";
import { syncTrigger } from "./sync-trigger.js";

type Request = Extract<RecipeRequest, { kind: "rename-column" }>;

export async function renameColumn(request: Request, { reader }: RecipeContext): Promise<MigrationParts> {
  const flag = RECIPE_FLAGS["rename-column"];
  const table = await readTable(reader, request.column, flag);
  const old = columnOf(table, request.column.column, flag, reader.where);
  refuseUncopyable(table, old, flag);
  refuseExisting(table, request.to, flag);
  const t = tableSql(table);
  const to = request.to;
  const trigger = syncTrigger(table, old.name, to, `NEW.${quoteIdent(old.name)}`, `NEW.${quoteIdent(to)}`);
  const notNull = old.notNull ? notNullRoute(table, to) : { add: [], rest: [] };
  const recreated = recreateFor(table, old, to, flag);
  const collate = old.collation ? ` COLLATE ${old.collation}` : "";
  return {
    noTransaction: true,
    expand: [
      "BEGIN;",
      ...trigger.create,
      // No default yet: a NULL new column is how the trigger tells a row old code wrote. The strongest
      // lock last, so that it is held the shortest time.
      `ALTER TABLE ${t} ADD COLUMN ${col(to)} ${old.type}${collate};`,
      "COMMIT;",
      ...notNull.add,
      backfill(table, `${bare(to)} = ${bare(old.name)}`, `${bare(to)} IS DISTINCT FROM ${bare(old.name)}`),
      ...notNull.rest,
      ...recreated.expand,
    ],
    contract: [
      "BEGIN;",
      ...trigger.drop,
      ...(old.default !== null
        ? [`ALTER TABLE ${t} ALTER COLUMN ${col(to)} SET DEFAULT ${old.default};`]
        : []),
      ...(old.ownedSequence ? [`ALTER SEQUENCE ${old.ownedSequence} OWNED BY ${t}.${col(to)};`] : []),
      `ALTER TABLE ${t} DROP COLUMN ${col(old.name)};`,
      ...recreated.contract,
      "COMMIT;",
    ],
    rollback: ["BEGIN;", ...trigger.drop, `ALTER TABLE ${t} DROP COLUMN ${col(to)};`, "COMMIT;"],
  };
}
