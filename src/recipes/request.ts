/** The recipe flags of `safemigrate new`, as given, checked and turned into one recipe request. */
import { UsageError } from "../errors.js";
import { columnRef, singleName, tableRef } from "./names.js";
import type { RecipeRequest } from "./recipe.js";
import { expression, typeName } from "./sql.js";

export interface RecipeFlags {
  renameColumn?: string[];
  changeType?: string[];
  addColumn?: string[];
  setNotNull?: string;
  renameTable?: string[];
  using?: string;
  reverse?: string;
  default?: string;
  notNull?: boolean;
  fill?: string;
}

function pair(values: string[], flag: string, shape: string): [string, string] {
  if (values.length !== 2) throw new UsageError(`${flag} takes two values: ${flag} ${shape}`);
  return values as [string, string];
}

/** Options that belong to one recipe only. */
const OWNED: Array<[keyof RecipeFlags, string, RecipeRequest["kind"][]]> = [
  ["using", "--using", ["change-type"]],
  ["reverse", "--reverse", ["change-type"]],
  ["default", "--default", ["add-column"]],
  ["notNull", "--not-null", ["add-column"]],
  ["fill", "--fill", ["set-not-null"]],
];

/** The recipe the flags ask for; null for none. A usage error for two recipes, or an option of another. */
export function recipeRequest(flags: RecipeFlags): RecipeRequest | null {
  const given: RecipeRequest[] = [];
  if (flags.renameColumn) {
    const [from, to] = pair(flags.renameColumn, "--rename-column", "<table.column> <new-name>");
    given.push({
      kind: "rename-column",
      column: columnRef(from, "--rename-column"),
      to: singleName(to, "--rename-column"),
    });
  }
  if (flags.changeType) {
    const [column, type] = pair(flags.changeType, "--change-type", "<table.column> <type>");
    if (flags.using === undefined) throw new UsageError("--change-type needs --using '<expression>'");
    given.push({
      kind: "change-type",
      column: columnRef(column, "--change-type"),
      type: typeName(type, "--change-type"),
      using: expression(flags.using, "--using"),
      reverse: flags.reverse === undefined ? null : expression(flags.reverse, "--reverse"),
    });
  }
  if (flags.addColumn) {
    const [column, type] = pair(flags.addColumn, "--add-column", "<table.column> <type>");
    if (flags.default === undefined) throw new UsageError("--add-column needs --default '<expression>'");
    given.push({
      kind: "add-column",
      column: columnRef(column, "--add-column"),
      type: typeName(type, "--add-column"),
      default: expression(flags.default, "--default"),
      notNull: flags.notNull === true,
    });
  }
  if (flags.setNotNull !== undefined) {
    given.push({
      kind: "set-not-null",
      column: columnRef(flags.setNotNull, "--set-not-null"),
      fill: flags.fill === undefined ? null : expression(flags.fill, "--fill"),
    });
  }
  if (flags.renameTable) {
    const [from, to] = pair(flags.renameTable, "--rename-table", "<table> <new-name>");
    given.push({
      kind: "rename-table",
      table: tableRef(from, "--rename-table"),
      to: singleName(to, "--rename-table"),
    });
  }
  if (given.length > 1) throw new UsageError("new: give one recipe at a time");
  const recipe = given[0] ?? null;
  for (const [key, flag, kinds] of OWNED) {
    if (flags[key] !== undefined && (!recipe || !kinds.includes(recipe.kind)))
      throw new UsageError(`${flag} belongs to --${kinds[0]}`);
  }
  return recipe;
}
