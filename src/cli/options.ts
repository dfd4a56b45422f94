/** Config-backed command options, shared by every command so that flags, env and file agree. */
import type { Command } from "commander";
import { type Config, type ConfigKey, flagName, KEYS, loadConfig } from "../config/index.js";
import { UsageError } from "../errors.js";
import type { CliIO } from "./io.js";

const PLACEHOLDERS: Partial<Record<ConfigKey, string>> = {
  pgVersion: "<major>",
  layout: "<layout>",
  format: "<format>",
  maxWarnings: "<n>",
  maxRetries: "<n>",
  smallTableRows: "<rows>",
  databaseUrl: "<url>",
  migrationsDir: "<dir>",
  historySchema: "<schema>",
  runner: "<runner>",
  statsFile: "<file>",
  searchPath: "<schemas>",
};

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * Adds `--config <file>` and one flag per config key (`pgVersion` -> `--pg-version <major>`; `rules` ->
 * repeatable `--rule <rule=level>`). Values are validated by `loadConfig`, so that a bad flag reads like a
 * bad config value: `safemigrate: --pg-version: expected an integer >= 9, got 'x'`.
 */
export function addConfigOptions(command: Command, keys: ConfigKey[]): Command {
  command.option("--config <file>", "config file (default: safemigrate.config.json, else package.json)");
  for (const key of keys) {
    if (key === "rules") {
      command.option(
        `${flagName(key)} <rule=level>`,
        "set a rule to off, note, warning or error (repeatable)",
        collect,
      );
      continue;
    }
    const kind = KEYS[key].kind;
    if (kind === "boolean") {
      command.option(flagName(key), KEYS[key].description);
      continue;
    }
    const value = kind === "duration" ? "<duration>" : (PLACEHOLDERS[key] ?? "<value>");
    command.option(`${flagName(key)} ${value}`, KEYS[key].description);
  }
  return command;
}

/** The effective config of a command: defaults < config file < environment < its flags. */
export function commandConfig(command: Command, io: CliIO, keys: ConfigKey[]): Config {
  const opts = command.opts() as Record<string, unknown>;
  const flags: Partial<Record<ConfigKey, unknown>> = {};
  for (const key of keys) flags[key] = key === "rules" ? opts.rule : opts[key];
  return loadConfig({
    cwd: io.cwd,
    env: io.env,
    flags,
    ...(typeof opts.config === "string" ? { configPath: opts.config } : {}),
  });
}

/** The migration directory a command works on: its argument, else the `migrationsDir` config key. */
export function migrationsDir(dir: string | undefined, config: Config, name: string): string {
  const chosen = dir ?? config.migrationsDir;
  if (!chosen)
    throw new UsageError(`${name}: no migration directory given (pass [dir] or set migrationsDir)`);
  return chosen;
}
