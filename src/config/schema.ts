/** The configuration keys: types, defaults, validation. One table drives the file, environment and flags. */
import type { RuleSetting } from "../analysis/lint.js";
import { RULES, ruleById } from "../analysis/rules/index.js";
import { parseDuration } from "../duration.js";
import { UsageError } from "../errors.js";
import { LAYOUTS, type LayoutName } from "../migrations/migration.js";
import { parseSearchPath } from "../sql/search-path.js";
import { didYouMean } from "./suggest.js";

export const FORMATS = ["text", "json", "github", "gitlab", "sarif"] as const;
export type Format = (typeof FORMATS)[number];
const RULE_SETTINGS = ["off", "note", "warning", "error"] as const;
/** Who runs the migrations: safemigrate `up` (which applies the safe rewrites) or another tool. */
export const RUNNERS = ["safemigrate", "other"] as const;
export type Runner = (typeof RUNNERS)[number];

export interface Config {
  /** Postgres major version the migrations will run on (lint without a database). */
  pgVersion: number;
  /** Migration directory layout; detected per directory when unset. */
  layout?: LayoutName;
  /** Default directory for commands given no path. */
  migrationsDir?: string;
  /** Per-rule severity overrides; `off` disables a rule. */
  rules: Record<string, RuleSetting>;
  /** Lint exits 1 when there are more warnings than this; unlimited when unset. */
  maxWarnings?: number;
  format: Format;
  databaseUrl?: string;
  historySchema: string;
  /** Durations are milliseconds. */
  lockTimeout: number;
  statementTimeout: number;
  maxRetries: number;
  retryBaseDelay: number;
  retryMaxDelay: number;
  /** Longest total wait per step for long transactions holding a conflicting lock, before queueing for it. */
  blockerWait: number;
  /** How long `up` waits for the advisory lock and for concurrent builds. */
  wait: number;
  /** Relations with fewer rows than this (live database) are not reported for lock findings. */
  smallTableRows: number;
  /** A migration directory without migrations, or with a file no layout reads, is an error (exit 2). */
  strict: boolean;
  /** Who runs the migrations `lint` checks; `plan` and `up` are safemigrate running them, whatever this says. */
  runner: Runner;
  /** A stats file (`safemigrate stats`) giving `plan` and `lint` the production sizes without a database. */
  statsFile?: string;
  /** A stats file generated longer ago than this is refused. */
  statsMaxAge: number;
  /**
   * The search_path of the sessions plan's shadow and the runner open (schema names, in order); unset: the
   * database URL's `search_path`, else the server's default.
   */
  searchPath?: string[];
}

export type ConfigKey = keyof Config;

export const DEFAULTS: Readonly<Config> = Object.freeze({
  pgVersion: 14,
  rules: {},
  format: "text",
  historySchema: "safemigrate",
  lockTimeout: 1000,
  statementTimeout: 15 * 60_000,
  maxRetries: 30,
  retryBaseDelay: 500,
  retryMaxDelay: 30_000,
  blockerWait: 30_000,
  wait: 10 * 60_000,
  smallTableRows: 1000,
  strict: false,
  runner: "other",
  statsMaxAge: 7 * 86_400_000,
});

type Kind =
  | "integer"
  | "duration"
  | "string"
  | "path"
  | "url"
  | "rules"
  | "boolean"
  | "schemas"
  | readonly string[];

interface KeySpec {
  kind: Kind;
  /** Smallest accepted integer. */
  min?: number;
  /** One line, for docs and `--help`. */
  description: string;
}

export const KEYS: Record<ConfigKey, KeySpec> = {
  pgVersion: { kind: "integer", min: 9, description: "Postgres major version to lint for" },
  layout: { kind: LAYOUTS, description: `migration directory layout (${LAYOUTS.join(", ")})` },
  migrationsDir: { kind: "path", description: "migration directory used when no path is given" },
  rules: { kind: "rules", description: "per-rule severity: off, note, warning or error" },
  maxWarnings: { kind: "integer", min: -1, description: "exit 1 when there are more warnings than this" },
  format: { kind: FORMATS, description: `output format (${FORMATS.join(", ")})` },
  databaseUrl: { kind: "url", description: "postgres:// connection URL" },
  historySchema: { kind: "string", description: "schema of the migration history tables" },
  lockTimeout: { kind: "duration", description: "lock_timeout for each migration statement" },
  statementTimeout: { kind: "duration", description: "statement_timeout for each migration statement" },
  maxRetries: { kind: "integer", min: 0, description: "retries of a statement that hit the lock timeout" },
  retryBaseDelay: { kind: "duration", description: "first delay between retries (doubles each time)" },
  retryMaxDelay: { kind: "duration", description: "longest delay between retries" },
  blockerWait: {
    kind: "duration",
    description:
      "how long a step waits, outside the lock queue, for long transactions holding a conflicting lock",
  },
  wait: { kind: "duration", description: "how long to wait for another runner or a concurrent build" },
  smallTableRows: {
    kind: "integer",
    min: 0,
    description:
      "row count below which a relation (live, or in the stats file) counts as small (no lock findings)",
  },
  strict: {
    kind: "boolean",
    description: "a directory without migrations, or a file that is not read, is an error (exit 2)",
  },
  runner: {
    kind: RUNNERS,
    description:
      "who runs the migrations: safemigrate (findings its safe rewrites resolve are info) or other",
  },
  statsFile: {
    kind: "path",
    description: "table sizes exported by safemigrate stats, for estimates without a database",
  },
  statsMaxAge: { kind: "duration", description: "refuse a stats file generated longer ago than this" },
  searchPath: {
    kind: "schemas",
    description: "search_path of the shadow's and the runner's sessions, e.g. storage,public",
  },
};

export const CONFIG_KEYS = Object.keys(KEYS) as ConfigKey[];

export function isConfigKey(key: string): key is ConfigKey {
  return Object.hasOwn(KEYS, key);
}

/**
 * JSON has no comments: a key that starts with `//` is one (as in package.json), at the top of a config
 * file and in its `rules`, so that a file can explain its settings (`safemigrate init` writes such keys).
 */
export function isComment(key: string): boolean {
  return key.startsWith("//");
}

/** Where a value came from, for error messages: `safemigrate.config.json: pgVersion`, `--pg-version`. */
export type Label = string;

function describe(value: unknown): string {
  return typeof value === "string" ? `'${value}'` : (JSON.stringify(value) ?? String(value));
}

function integer(value: unknown, spec: KeySpec, label: Label): number {
  const n = typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < (spec.min ?? 0)) {
    const floor = spec.min ?? 0;
    throw new UsageError(`${label}: expected an integer >= ${floor}, got ${describe(value)}`);
  }
  return n;
}

function text(value: unknown, label: Label): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new UsageError(`${label}: expected a non-empty string, got ${describe(value)}`);
  }
  return value;
}

/** Connection URLs are checked without ever echoing them: they may hold a password. */
function url(value: unknown, label: Label): string {
  const raw = text(typeof value === "string" ? value : String(value), label).trim();
  let ok = false;
  try {
    const parsed = new URL(raw);
    ok = (parsed.protocol === "postgres:" || parsed.protocol === "postgresql:") && parsed.host !== "";
  } catch {
    ok = false;
  }
  if (!ok) throw new UsageError(`${label}: not a valid postgres:// or postgresql:// URL`);
  return raw;
}

function ruleSetting(id: string, value: unknown, label: Label): RuleSetting {
  if (!ruleById(id)) {
    const ids = RULES.map((r) => r.id);
    throw new UsageError(`${label}: unknown rule '${id}'${didYouMean(id, ids)}`);
  }
  if (typeof value !== "string" || !(RULE_SETTINGS as readonly string[]).includes(value)) {
    throw new UsageError(`${label}: expected off, note, warning or error, got ${describe(value)}`);
  }
  return value as RuleSetting;
}

/** `true`/`false` (JSON), or `true`, `false`, `1`, `0` as text (environment). */
function boolean(value: unknown, label: Label): boolean {
  if (typeof value === "boolean") return value;
  const text = typeof value === "string" ? value.trim().toLowerCase() : null;
  if (text === "true" || text === "1") return true;
  if (text === "false" || text === "0") return false;
  throw new UsageError(`${label}: expected true or false, got ${describe(value)}`);
}

/** `{id: level}`, or `id=level[,id=level]` text (environment), or a list of `id=level` (repeated flag). */
function rules(value: unknown, label: Label): Record<string, RuleSetting> {
  const result: Record<string, RuleSetting> = {};
  if (typeof value === "string" || Array.isArray(value)) {
    const items = (typeof value === "string" ? value.split(",") : value).map((i) => String(i).trim());
    for (const item of items.filter(Boolean)) {
      const [id = "", level, extra] = item.split("=").map((s) => s.trim());
      if (level === undefined || extra !== undefined) {
        throw new UsageError(`${label}: expected <rule>=<off|note|warning|error>, got '${item}'`);
      }
      result[id] = ruleSetting(id, level, `${label} ${id}`);
    }
    return result;
  }
  if (typeof value !== "object" || value === null) {
    throw new UsageError(
      `${label}: expected an object of rule -> off|note|warning|error, got ${describe(value)}`,
    );
  }
  for (const [id, level] of Object.entries(value)) {
    if (!isComment(id)) result[id] = ruleSetting(id, level, `${label}.${id}`);
  }
  return result;
}

/** `storage, public` as Postgres reads a search_path, or a JSON list of schema names taken as written. */
function schemas(value: unknown, label: Label): string[] {
  const parsed = Array.isArray(value)
    ? value.every((v) => typeof v === "string" && v !== "")
      ? parseSearchPath(value.map((v) => `"${String(v).replaceAll('"', '""')}"`).join(", "))
      : { problem: `expected schema names, got ${describe(value)}` }
    : typeof value === "string"
      ? parseSearchPath(value)
      : { problem: `expected a search_path such as 'storage, public', got ${describe(value)}` };
  if ("problem" in parsed) throw new UsageError(`${label}: ${parsed.problem}`);
  return parsed.schemas;
}

/**
 * Validates one value (from JSON, an environment variable or a flag; text is accepted for every kind) and
 * returns it in its `Config` type. Errors are `UsageError`s that start with `label`.
 */
export function validateValue(key: ConfigKey, value: unknown, label: Label): unknown {
  const spec = KEYS[key];
  const { kind } = spec;
  if (Array.isArray(kind)) {
    if (typeof value === "string" && kind.includes(value)) return value;
    throw new UsageError(`${label}: expected one of ${kind.join(", ")}, got ${describe(value)}`);
  }
  switch (kind) {
    case "integer": {
      const n = integer(value, spec, label);
      // -1 is the conventional "no limit" for --max-warnings (as in ESLint).
      return key === "maxWarnings" && n < 0 ? undefined : n;
    }
    case "duration":
      if (typeof value !== "string" && typeof value !== "number") {
        throw new UsageError(`${label}: expected a duration such as '2s', got ${describe(value)}`);
      }
      return parseDuration(value, label);
    case "string":
    case "path":
      return text(value, label);
    case "url":
      return url(value, label);
    case "rules":
      return rules(value, label);
    case "boolean":
      return boolean(value, label);
    case "schemas":
      return schemas(value, label);
  }
  throw new Error(`unhandled config kind for ${key}`);
}
