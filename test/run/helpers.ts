/** Helpers for the runner's integration tests: migration directories, the CLI in-process and as a child. */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll } from "vitest";
import { type CliResult as InProcessResult, runCli } from "../support/cli.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** A directory of plain-layout migrations (`{ "001_x.sql": "..." }`); nested paths are created. */
export function migrationDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "sm-run-"));
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

export interface CliResult extends InProcessResult {
  /** stdout parsed as JSON lines, when run with --log-format json. */
  events: Array<Record<string, unknown> & { event: string }>;
}

/** Runs `safemigrate <args>` in this process, with DATABASE_URL set and output captured. */
export async function cli(args: string[], databaseUrl?: string): Promise<CliResult> {
  const result = await runCli(args, {
    env: databaseUrl ? { DATABASE_URL: databaseUrl } : {},
    cwd: REPO_ROOT,
  });
  return { ...result, events: parseEvents(result.stdout) };
}

export function parseEvents(stdout: string): CliResult["events"] {
  return stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l));
}

/** A gate finding as the JSON log gives it (the fields the tests read). */
export interface GateFinding {
  rule: string;
  message: string;
  file: string;
  line: number;
}

/**
 * The lint gate of a JSON log: its `gate-finding` events split into those that stop the run and those
 * that pass (with why); empty lists when the gate met no error finding.
 */
export function gateOf(events: CliResult["events"]): {
  blocked: GateFinding[];
  passed: Array<{ finding: GateFinding; reason: string }>;
} {
  const findings = events.filter((e) => e.event === "gate-finding") as unknown as Array<{
    outcome: "blocked" | "passed";
    reason: string | null;
    finding: GateFinding;
  }>;
  return {
    blocked: findings.filter((f) => f.outcome === "blocked").map((f) => f.finding),
    passed: findings
      .filter((f) => f.outcome === "passed")
      .map((f) => ({ finding: f.finding, reason: f.reason ?? "" })),
  };
}

let built: Promise<string> | null = null;

/**
 * The CLI compiled to a temporary directory (tsc, no type checking needed to pass), for tests that must
 * signal or kill a real process. Returns the path of a launcher script.
 */
export function buildCli(): Promise<string> {
  built ??= (async () => {
    const root = mkdtempSync(join(tmpdir(), "sm-cli-"));
    const tsc = join(REPO_ROOT, "node_modules/.bin/tsc");
    const args = ["-p", join(REPO_ROOT, "tsconfig.build.json"), "--outDir", join(root, "dist")];
    await promisify(execFile)(tsc, [...args, "--declaration", "false", "--sourceMap", "false"], {
      cwd: REPO_ROOT,
    }).catch((error: { stdout?: string }) => {
      // Type errors elsewhere in the tree do not stop the emit; only a missing output does.
      if (!String(error.stdout ?? "").includes("error")) throw error;
    });
    symlinkSync(join(REPO_ROOT, "node_modules"), join(root, "node_modules"));
    writeFileSync(
      join(root, "package.json"),
      JSON.stringify({ name: "safemigrate", version: "0.0.0", type: "module" }),
    );
    const launcher = join(root, "cli.mjs");
    writeFileSync(
      launcher,
      'import { main } from "./dist/cli/main.js";\nmain(process.argv).then((code) => { process.exitCode = code; });\n',
    );
    process.on("exit", () => rmSync(root, { recursive: true, force: true }));
    return launcher;
  })();
  return built;
}

export interface Child {
  process: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

export function spawnCli(launcher: string, args: string[], databaseUrl: string): Child {
  const child = spawn(process.execPath, [launcher, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", DATABASE_URL: databaseUrl },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((done) =>
    child.on("exit", (code, signal) => done({ code, signal, at: performance.now() })),
  );
  return { process: child, output: () => output, exited };
}

/** Polls `probe` until it returns a truthy value (or throws after `timeoutMs`). */
export async function waitFor<T>(
  probe: () => Promise<T>,
  timeoutMs = 20_000,
  what = "condition",
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Two fresh databases on one major for the enclosing describe block, created before its tests and dropped
 * after them: one that `up` runs the safe rewrites on, one that gets the SQL as written.
 */
export function databasePair(major: string): { rewritten: TestDatabase; asWritten: TestDatabase } {
  const pair = {} as { rewritten: TestDatabase; asWritten: TestDatabase };
  beforeAll(async () => {
    [pair.rewritten, pair.asWritten] = await Promise.all([
      createTestDatabase(major),
      createTestDatabase(major),
    ]);
  });
  afterAll(async () => {
    await Promise.all([pair.rewritten?.drop(), pair.asWritten?.drop()]);
  });
  return pair;
}

/** The runner's sessions on the database, and what each waits for. */
export function runnerSessions(db: TestDatabase) {
  return db.sql<{ pid: number; wait: string | null }[]>`
    SELECT pid, wait_event_type AS wait FROM pg_stat_activity
    WHERE datname = current_database() AND application_name = 'safemigrate'`;
}
