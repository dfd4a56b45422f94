/**
 * `safemigrate init [dir]`: writes a commented safemigrate.config.json for the project's migration directory
 * (found and its layout detected, or given) and prints the CI set-ups for GitHub Actions and GitLab CI.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { CONFIG_FILE, type ConfigKey, DEFAULTS, flagName, KEYS, type Runner } from "../../config/index.js";
import { validateValue } from "../../config/schema.js";
import { errorMessage, UsageError } from "../../errors.js";
import type { LayoutName } from "../../migrations/index.js";
import { addExamples } from "../examples.js";
import { type ChosenMigrations, chooseMigrations, countLabel } from "../init/choose.js";
import { githubActionsSnippet, gitlabCiSnippet } from "../init/ci-snippets.js";
import { starterConfig } from "../init/config-file.js";
import type { CliIO } from "../io.js";

interface InitFlags {
  migrations?: string;
  layout?: string;
  pgVersion?: string;
  runner?: string;
  force?: boolean;
}

/** A `safemigrate` key in package.json is a config too: the new file would silently take its place. */
function packageJsonConfig(root: string): boolean {
  const path = join(root, "package.json");
  if (!existsSync(path)) return false;
  try {
    const json: unknown = JSON.parse(readFileSync(path, "utf8"));
    return typeof json === "object" && json !== null && Object.hasOwn(json, "safemigrate");
  } catch {
    return false;
  }
}

/** A flag's value, validated as the config key it sets (`--pg-version x` reads like a bad config value). */
function flagValue<T>(key: ConfigKey, value: string | undefined, fallback: T): T {
  return value === undefined ? fallback : (validateValue(key, value, flagName(key)) as T);
}

function refuseToReplace(root: string, shown: string): void {
  if (existsSync(join(root, CONFIG_FILE))) {
    throw new UsageError(`init: ${shown} already exists (pass --force to overwrite it)`);
  }
  if (packageJsonConfig(root)) {
    throw new UsageError(
      `init: package.json has a "safemigrate" key, which ${CONFIG_FILE} would replace (pass --force to write it anyway)`,
    );
  }
}

function summary(shown: string, chosen: ChosenMigrations): string {
  const what =
    chosen.migrations === undefined
      ? "does not exist yet: safemigrate new creates it"
      : chosen.layout
        ? `${chosen.layout} layout, ${countLabel(chosen.migrations)}`
        : "no migrations yet: the layout is detected once there are some";
  const lines = [`wrote ${shown}: migrations in ${chosen.dir} (${what})`];
  if (chosen.others.length > 0) {
    const verb = chosen.others.length === 1 ? "holds" : "hold";
    lines.push(
      `note: ${chosen.others.join(", ")} also ${verb} migrations; --migrations <dir> chooses another`,
    );
  }
  lines.push("next: safemigrate lint, then safemigrate plan (both read migrationsDir from the file)");
  return `${lines.join("\n")}\n`;
}

export function register(program: Command, io: CliIO): void {
  const command = program
    .command("init")
    .description("write a commented safemigrate.config.json for the project and print CI set-ups")
    .argument("[dir]", "project directory (default: the working directory)")
    .option("--migrations <dir>", "the migration directory (default: found among the common ones)")
    .option("--layout <layout>", `${KEYS.layout.description} (default: detected)`)
    .option("--pg-version <major>", `${KEYS.pgVersion.description} (default ${DEFAULTS.pgVersion})`)
    .option("--runner <runner>", `who runs the migrations: safemigrate or other (default ${DEFAULTS.runner})`)
    .option("--force", `overwrite an existing ${CONFIG_FILE}`);
  addExamples(command, [
    ["safemigrate init", "find the migration directory, write the config file, print CI set-ups"],
    [
      "safemigrate init --migrations sql/schema --layout flyway",
      "a directory that is not one of the common ones, read as flyway",
    ],
    [
      "safemigrate init --pg-version 16 --runner safemigrate --force",
      "rewrite the config file: Postgres 16, migrations run by safemigrate up",
    ],
  ]);
  command.action(async (dir: string | undefined, flags: InitFlags) => {
    const root = resolve(io.cwd, dir ?? ".");
    if (!existsSync(root) || !statSync(root).isDirectory()) {
      throw new UsageError(`init: ${dir}: no such directory`);
    }
    const layout = flagValue<LayoutName | undefined>("layout", flags.layout, undefined);
    const pgVersion = flagValue("pgVersion", flags.pgVersion, DEFAULTS.pgVersion);
    const runner = flagValue<Runner>("runner", flags.runner, DEFAULTS.runner);
    const shown = dir === undefined ? CONFIG_FILE : join(dir, CONFIG_FILE);
    if (!flags.force) refuseToReplace(root, shown);
    const chosen = await chooseMigrations(root, io.cwd, {
      ...(flags.migrations !== undefined ? { migrations: flags.migrations } : {}),
      ...(layout ? { layout } : {}),
    });
    const text = starterConfig({
      migrationsDir: chosen.dir,
      ...(chosen.layout ? { layout: chosen.layout } : {}),
      ...(chosen.layoutSource ? { layoutSource: chosen.layoutSource } : {}),
      pgVersion,
      runner,
    });
    try {
      writeFileSync(join(root, CONFIG_FILE), text);
    } catch (error) {
      throw new UsageError(`init: cannot write ${shown}: ${errorMessage(error)}`);
    }
    io.stdout(summary(shown, chosen));
    io.stdout(
      [
        "",
        "GitHub Actions (.github/workflows/safemigrate.yml):",
        "",
        githubActionsSnippet(chosen.dir, CONFIG_FILE),
        "GitLab CI (.gitlab-ci.yml):",
        "",
        gitlabCiSnippet(chosen.dir, CONFIG_FILE),
      ].join("\n"),
    );
    io.exitCode = 0;
  });
}
