/** Helpers for CLI tests: the built bin as a real process, temporary projects. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { RULES } from "../../src/analysis/rules/index.js";
import type { CliResult, RunOptions } from "../support/cli.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin", "safemigrate.js");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/** Builds dist/ with tsc when it is missing or older than src/ (vitest runs the sources, the bin runs dist). */
export function ensureBuilt(): void {
  const entry = join(ROOT, "dist", "cli", "main.js");
  if (existsSync(entry) && statSync(entry).mtimeMs >= newestMtime(join(ROOT, "src"))) return;
  const tsc = join(ROOT, "node_modules", ".bin", "tsc");
  const build = spawnSync(tsc, ["-p", "tsconfig.build.json"], { cwd: ROOT, encoding: "utf8" });
  // Type errors elsewhere in the tree do not stop tsc from emitting; only a missing entry point is fatal.
  if (!existsSync(entry)) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
}

/** Runs `node bin/safemigrate.js` as a real process (build first with `ensureBuilt`). */
export function spawnCli(args: string[], options: RunOptions = {}): CliResult {
  const child = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.stdin ?? "",
    encoding: "utf8",
    env: { PATH: process.env.PATH, ...options.env },
  });
  return { code: child.status ?? -1, stdout: child.stdout, stderr: child.stderr };
}

/** A fresh directory holding `files` (relative path -> text). */
export function tempDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "safemigrate-cli-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/**
 * A config that turns off every rule but the given ones, so that CLI tests do not depend on what the
 * other rules find (they are tested on their own).
 */
export function onlyRules(levels: Record<string, "warning" | "error">): Record<string, string> {
  return Object.fromEntries(RULES.map((r) => [r.id, levels[r.id] ?? "off"]));
}

/** A statement that `create-index-non-concurrent` reports (users is not created in the file). */
export const UNSAFE_INDEX = "CREATE INDEX users_email_idx ON users (email);";
export const SAFE_SQL = "CREATE TABLE accounts (id bigint PRIMARY KEY);";

/** A directory with a config that enables only create-index-non-concurrent, at `level`. */
export function project(files: Record<string, string>, level: "warning" | "error" = "error"): string {
  const config = { rules: onlyRules({ "create-index-non-concurrent": level }) };
  return tempDir({ "safemigrate.config.json": JSON.stringify(config), ...files });
}
