/** `safemigrate new <name> [dir]`: the next migration file of the directory, empty or written by a recipe. */
import type { Command } from "commander";
import type { ConfigKey } from "../../config/index.js";
import { newMigration } from "../../recipes/new.js";
import { type RecipeFlags, recipeRequest } from "../../recipes/request.js";
import { addExamples } from "../examples.js";
import type { CliIO } from "../io.js";
import { addConfigOptions, commandConfig, migrationsDir } from "../options.js";

const KEYS: ConfigKey[] = ["databaseUrl", "layout", "migrationsDir", "pgVersion"];

export function register(program: Command, io: CliIO): void {
  const command = program
    .command("new")
    .description("write the next migration of a directory, in its layout (empty, or by a recipe)")
    .argument("<name>", "what the migration does (becomes the file name)")
    .argument("[dir]", "migration directory (layout detected; created when missing)")
    .option("--rename-column <table.column new...>", "recipe: rename a column without breaking running code")
    .option("--change-type <table.column type...>", "recipe: change a column's type (needs --using)")
    .option("--using <expression>", "--change-type: the new value from the old column")
    .option(
      "--reverse <expression>",
      "--change-type: the old value from the new column (old code keeps writing)",
    )
    .option("--add-column <table.column type...>", "recipe: add a column with a default (needs --default)")
    .option("--default <expression>", "--add-column: the column's default")
    .option("--not-null", "--add-column: make the column NOT NULL (CHECK route)")
    .option("--set-not-null <table.column>", "recipe: make a column NOT NULL without a scan under lock")
    .option("--fill <expression>", "--set-not-null: the value for rows that hold NULL (batched)")
    .option("--rename-table <table new...>", "recipe: rename a table, keeping the old name as a view");
  addExamples(command, [
    [
      "safemigrate new add_orders db/migrations",
      "an empty migration, named as the directory's layout names them",
    ],
    [
      "safemigrate new rename_email --rename-column users.email email_address",
      "a column rename that running code survives (expand and contract phases)",
    ],
    [
      "safemigrate new require_email --set-not-null users.email --fill \"''\"",
      "NOT NULL without a table scan under lock; NULLs filled in batches first",
    ],
    [
      "safemigrate new add_plan --add-column users.plan text --default \"'free'\" --not-null",
      "a column with a default, NOT NULL by the CHECK route",
    ],
  ]);
  addConfigOptions(command, KEYS).action(async (name: string, dir: string | undefined) => {
    const config = commandConfig(command, io, KEYS);
    const recipe = recipeRequest(command.opts() as RecipeFlags);
    const result = await newMigration({
      name,
      dir: migrationsDir(dir, config, "new"),
      ...(config.layout ? { layout: config.layout } : {}),
      ...(recipe ? { recipe } : {}),
      ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
      pgVersion: config.pgVersion,
      env: io.env,
    });
    for (const file of result.files) io.stdout(`${file}\n`);
    io.exitCode = 0;
  });
}
