/** Layered configuration: defaults < config file < environment < flags. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { errorMessage, UsageError } from "../errors.js";
import {
  CONFIG_KEYS,
  type Config,
  type ConfigKey,
  DEFAULTS,
  isComment,
  isConfigKey,
  KEYS,
  validateValue,
} from "./schema.js";
import { didYouMean } from "./suggest.js";

export const CONFIG_FILE = "safemigrate.config.json";

export interface LoadConfigOptions {
  /** Directory where the config file is looked for and relative paths start; default `process.cwd()`. */
  cwd?: string;
  /** Default `process.env`; pass `{}` to ignore the environment. */
  env?: Record<string, string | undefined>;
  /** Values from the command line (or the API), by config key; `undefined` means not given. */
  flags?: Partial<Record<ConfigKey, unknown>>;
  /**
   * An explicit config file (must exist); `false` reads no file; default: `safemigrate.config.json` in
   * `cwd`, else the `safemigrate` key of `cwd`'s package.json.
   */
  configPath?: string | false;
}

/** `pgVersion` -> `SAFEMIGRATE_PG_VERSION`. */
export function envName(key: ConfigKey): string {
  return `SAFEMIGRATE_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** `pgVersion` -> `--pg-version`; `rules` -> `--rule` (repeated, one rule each). */
export function flagName(key: ConfigKey): string {
  if (key === "rules") return "--rule";
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

interface Layer {
  values: Record<string, unknown>;
  /** The label of a key in error messages. */
  label(key: string): string;
  /** Directory that relative paths in this layer start from. */
  base: string;
}

function readJson(path: string, shown: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${shown}: ${code === "ENOENT" ? "no such file" : errorMessage(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${shown}: invalid JSON: ${errorMessage(error).split("\n")[0]}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fileLayer(cwd: string, configPath: string | false | undefined): Layer | null {
  if (configPath === false) return null;
  let path: string;
  let key: string | null = null;
  if (configPath !== undefined) path = resolve(cwd, configPath);
  else if (existsSync(resolve(cwd, CONFIG_FILE))) path = resolve(cwd, CONFIG_FILE);
  else {
    path = resolve(cwd, "package.json");
    if (!existsSync(path)) return null;
    key = "safemigrate";
  }
  const shown = relative(cwd, path) || path;
  const json = readJson(path, shown);
  const where = key ? `${shown}: ${key}` : shown;
  const values = key ? (isObject(json) ? json[key] : undefined) : json;
  if (key && values === undefined) return null;
  if (!isObject(values)) throw new UsageError(`${where}: expected a JSON object`);
  return { values, label: (k) => `${where}: ${k}`, base: dirname(path) };
}

function envLayer(env: Record<string, string | undefined>, cwd: string): Layer {
  const values: Record<string, unknown> = {};
  const names: Record<string, string> = {};
  for (const key of CONFIG_KEYS) {
    const candidates = key === "databaseUrl" ? [envName(key), "DATABASE_URL"] : [envName(key)];
    // An empty variable counts as unset (CI systems often define every variable they know of).
    const name = candidates.find((n) => env[n]?.trim());
    if (name) {
      values[key] = env[name];
      names[key] = name;
    }
  }
  return { values, label: (k) => names[k] ?? k, base: cwd };
}

function flagLayer(flags: Partial<Record<ConfigKey, unknown>>, cwd: string): Layer {
  const values = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  return { values, label: (k) => (isConfigKey(k) ? flagName(k) : k), base: cwd };
}

/** Paths are kept relative to the working directory when they are below it, for readable output. */
function resolvePath(base: string, cwd: string, value: string): string {
  if (isAbsolute(value) || base === cwd) return value;
  const absolute = resolve(base, value);
  const fromCwd = relative(cwd, absolute);
  return fromCwd.startsWith("..") || isAbsolute(fromCwd) ? absolute : fromCwd || ".";
}

function apply(config: Config, layer: Layer, cwd: string): void {
  const target = config as unknown as Record<string, unknown>;
  for (const [key, raw] of Object.entries(layer.values)) {
    if (key === "$schema" || isComment(key)) continue;
    if (!isConfigKey(key)) {
      throw new UsageError(`${layer.label(key)}: unknown key${didYouMean(key, CONFIG_KEYS)}`);
    }
    let value = validateValue(key, raw, layer.label(key));
    if (KEYS[key].kind === "path") value = resolvePath(layer.base, cwd, value as string);
    // Rule settings merge per rule across layers; every other key replaces the lower layer's value.
    if (key === "rules") value = { ...config.rules, ...(value as Config["rules"]) };
    if (value === undefined) delete target[key];
    else target[key] = value;
  }
}

/** The effective configuration. Every problem is a one-line `UsageError` naming the file or variable and key. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const config: Config = { ...DEFAULTS, rules: {} };
  const layers = [
    fileLayer(cwd, options.configPath),
    envLayer(options.env ?? process.env, cwd),
    flagLayer(options.flags ?? {}, cwd),
  ];
  for (const layer of layers) if (layer) apply(config, layer, cwd);
  return config;
}
