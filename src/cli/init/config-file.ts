/**
 * The `safemigrate.config.json` that `init` writes: the project's settings, each explained by a comment key
 * (`"// key": "..."`, which the config loader skips), so that the file says what to change and why.
 */
import { DEFAULTS, formatDuration, KEYS, type Runner } from "../../config/index.js";
import type { LayoutName } from "../../migrations/index.js";
import { REPOSITORY_URL } from "../package.js";

export interface StarterSettings {
  /** Relative to the config file, `/`-separated. */
  migrationsDir: string;
  /** Unset: detected on every run (a directory without migrations yet). */
  layout?: LayoutName;
  /** How the layout was chosen, for its comment: `detected from 12 migrations`, `given`. */
  layoutSource?: string;
  pgVersion: number;
  runner: Runner;
}

/** The file's text: JSON, two-space indented, ending in a newline. */
export function starterConfig(settings: StarterSettings): string {
  const file: Record<string, unknown> = {
    "//": `safemigrate settings; keys starting with // are comments. Every key: ${REPOSITORY_URL}/blob/main/docs/config.md`,
    "// migrationsDir": `${KEYS.migrationsDir.description} (lint, plan, up, status, new; relative to this file)`,
    migrationsDir: settings.migrationsDir,
  };
  if (settings.layout) {
    file["// layout"] =
      `${settings.layout}, ${settings.layoutSource ?? "detected"}; remove this key to detect it on every run`;
    file.layout = settings.layout;
  }
  file["// pgVersion"] =
    "the Postgres major version production runs: what is dangerous (and what Postgres accepts) depends on it";
  file.pgVersion = settings.pgVersion;
  file["// runner"] =
    "who runs the migrations: other (your migration tool runs the SQL as written) or safemigrate (safemigrate up, with its safe rewrites)";
  file.runner = settings.runner;
  file.rules = {
    "//": `per rule: off, note, warning or error, e.g. "prefer-text": "off"; safemigrate rules lists them`,
  };
  file["// more"] =
    `the database comes from DATABASE_URL (keep passwords out of this file); the runner's lockTimeout (default ${formatDuration(DEFAULTS.lockTimeout)}), statementTimeout, maxRetries and the other keys: see the link at the top`;
  return `${JSON.stringify(file, null, 2)}\n`;
}
