/**
 * `--change-type table.col type --using 'expr' [--reverse 'expr']`: a new column of the new type, filled by a
 * trigger on every write (and the old one from it with --reverse), backfilled in batches, with the column's
 * NOT NULL, indexes and constraints built by the safe routes; the contract drops the old column and gives
 * the new one, its indexes and constraints the old names.
 */
import { quoteIdent } from "../db/ident.js";
import { UsageError } from "../errors.js";
import type { MigrationParts } from "../migrations/scaffold.js";
import { makeObjectName } from "../steps/pg-names.js";
import { columnOf, readTable, refuseExisting, typeExists } from "./catalog.js";
import { RECIPE_FLAGS, type RecipeContext, type RecipeRequest, refuseUncopyable } from "./recipe.js";
import { backfill, bare, col, notNullRoute, recreateFor, renameRefs, tableSql } from "./sql.js";
import { syncTrigger } from "./sync-trigger.js";

type Request = Extract<RecipeRequest, { kind: "change-type" }>;

/** The column that holds the new type until the contract. */
export function transitionColumn(column: string): string {
  return makeObjectName(column, null, "new");
}

export async function changeType(request: Request, { reader }: RecipeContext): Promise<MigrationParts> {
  const flag = RECIPE_FLAGS["change-type"];
  const table = await readTable(reader, request.column, flag);
  const old = columnOf(table, request.column.column, flag, reader.where);
  refuseUncopyable(table, old, flag);
  if (!(await typeExists(reader, request.type)))
    throw new UsageError(`${flag}: no type ${request.type} in ${reader.where}`);
  const to = transitionColumn(old.name);
  refuseExisting(table, to, flag);
  const t = tableSql(table);
  // --using and --reverse name the column by its name: the old value, and the new one.
  const forward = renameRefs(request.using, old.name, ["new", old.name]);
  const reverse = request.reverse === null ? null : renameRefs(request.reverse, old.name, ["new", to]);
  const trigger = syncTrigger(table, old.name, to, forward, reverse);
  const notNull = old.notNull ? notNullRoute(table, to) : { add: [], rest: [] };
  const recreated = recreateFor(table, old, to, flag);
  const renames = recreated.renames.map((r) =>
    r.kind === "index"
      ? `ALTER INDEX ${quoteIdent(table.schema)}.${quoteIdent(r.name)} RENAME TO ${quoteIdent(r.was)};`
      : `ALTER TABLE ${t} RENAME CONSTRAINT ${quoteIdent(r.name)} TO ${quoteIdent(r.was)};`,
  );
  const defaultNote =
    old.default === null
      ? []
      : [
          `-- ${old.name} had DEFAULT ${old.default.replace(/\n/g, " ")}: set the default the new type needs here.`,
        ];
  return {
    noTransaction: true,
    expand: [
      "BEGIN;",
      ...trigger.create,
      // The strongest lock last, so that it is held the shortest time.
      `ALTER TABLE ${t} ADD COLUMN ${col(to)} ${request.type};`,
      "COMMIT;",
      ...notNull.add,
      backfill(
        table,
        `${bare(to)} = ${renameRefs(request.using, old.name, [old.name])}`,
        `${bare(to)} IS NULL`,
      ),
      ...notNull.rest,
      ...recreated.expand,
    ],
    contract: [
      "BEGIN;",
      ...trigger.drop,
      ...(old.ownedSequence ? [`ALTER SEQUENCE ${old.ownedSequence} OWNED BY ${t}.${col(to)};`] : []),
      `ALTER TABLE ${t} DROP COLUMN ${col(old.name)};`,
      `ALTER TABLE ${t} RENAME COLUMN ${col(to)} TO ${col(old.name)};`,
      ...renames,
      ...recreated.contract,
      ...defaultNote,
      "COMMIT;",
    ],
    rollback: ["BEGIN;", ...trigger.drop, `ALTER TABLE ${t} DROP COLUMN ${col(to)};`, "COMMIT;"],
  };
}
