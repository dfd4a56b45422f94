#!/usr/bin/env node
// Lint benchmark: whole-process timings of `safemigrate lint --format json` on generated inputs.
//
//   npm run bench:lint [-- --runs N] [-- --bin path/to/safemigrate.js] [-- --squawk path/to/squawk]
//
// --bin runs another build of the CLI on the same inputs (for A/B comparisons of a change).
// Generates into .bench/ (deterministic; regenerated only when the generator changes) a one-statement file
// (start-up), a 20,000-statement file, a directory of 2,000 files x 10 statements, and 2x versions of both for
// the linearity check. Each target gets 1 warm-up run and N timed runs (default 5); the table shows the median
// wall time and the median CPU time (user + system, of the lint process itself: robust against other load on
// the machine), and the 2x/1x ratios. squawk (the squawk-cli dev dependency's native binary, or --squawk) runs
// on the same inputs in the same run, interleaved with safemigrate, so that both see the same machine load.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { migrationText, prng, statementGenerator } from "./bench/generate.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const BENCH = join(ROOT, ".bench");
const DEFAULT_BIN = join(ROOT, "bin", "safemigrate.js");
/** Bump when the generator or the targets change, so that stale inputs are regenerated. */
const GENERATOR_VERSION = "2";
const SEED = 20240601;

function parseArgs(argv) {
  // --bin compares another build (e.g. one made with `tsc --outDir` elsewhere) on the same inputs.
  const options = { runs: 5, bin: DEFAULT_BIN, squawk: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const name = arg.split("=")[0];
    const value = arg.includes("=") ? arg.slice(name.length + 1) : argv[i + 1];
    if (name === "--runs" || name === "--bin" || name === "--squawk") {
      if (!arg.includes("=")) i++;
      if (value === undefined) fail(`${name}: missing value`);
    }
    if (name === "--runs") {
      options.runs = Number(value);
      if (!Number.isInteger(options.runs) || options.runs < 1) fail("--runs: expected a positive integer");
    } else if (name === "--bin") {
      options.bin = value;
    } else if (name === "--squawk") {
      options.squawk = value;
    } else if (arg === "--help" || arg === "-h") {
      console.log(
        "usage: node scripts/bench-lint.mjs [--runs N] [--bin path/to/safemigrate.js] [--squawk path/to/squawk]",
      );
      process.exit(0);
    } else fail(`unknown argument '${arg}'`);
  }
  return options;
}

function fail(message) {
  console.error(`bench-lint: ${message}`);
  process.exit(2);
}

function writeFileTarget(path, statements, seed) {
  const r = prng(seed + 1);
  writeFileSync(path, migrationText(statementGenerator(seed), statements, r));
}

function writeDirTarget(dir, files, perFile, seed) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const next = statementGenerator(seed);
  const r = prng(seed + 1);
  const width = String(files).length;
  for (let i = 1; i <= files; i++) {
    const name = `${String(i).padStart(width, "0")}_migration_${i}.sql`;
    writeFileSync(join(dir, name), migrationText(next, perFile, r));
  }
}

const TARGETS = [
  { name: "file-1", label: "1 file, 1 statement (start-up)", statements: 1, files: 1 },
  { name: "file-20k", label: "1 file, 20,000 statements", statements: 20_000, files: 1 },
  { name: "file-40k", label: "1 file, 40,000 statements (2x)", statements: 40_000, files: 1 },
  { name: "dir-2k", label: "2,000 files x 10 statements", statements: 20_000, files: 2_000 },
  { name: "dir-4k", label: "4,000 files x 10 statements (2x)", statements: 40_000, files: 4_000 },
];

function generate() {
  mkdirSync(BENCH, { recursive: true });
  const stamp = join(BENCH, "generator-version");
  const current = existsSync(stamp) ? readFileSync(stamp, "utf8") : "";
  if (current === `${GENERATOR_VERSION}:${SEED}` && TARGETS.every((t) => existsSync(targetPath(t)))) return;
  process.stderr.write("generating inputs in .bench/ ...\n");
  for (const t of TARGETS) {
    if (t.files === 1) writeFileTarget(targetPath(t), t.statements, SEED);
    else writeDirTarget(targetPath(t), t.files, t.statements / t.files, SEED);
  }
  writeFileSync(stamp, `${GENERATOR_VERSION}:${SEED}`);
}

function targetPath(t) {
  return join(BENCH, t.files === 1 ? `${t.name}.sql` : t.name);
}

/**
 * Preloaded into each run: reports the process's own CPU time (user + system) at exit, on stderr. Wall time
 * depends on what else the machine runs; CPU time much less, so both are shown.
 */
const CPU_HOOK = `data:text/javascript,${encodeURIComponent(
  'process.on("exit",()=>{const u=process.cpuUsage();process.stderr.write("\\nbench-cpu:"+(u.user+u.system)+"\\n")})',
)}`;

/**
 * The squawk binary: --squawk, else the native binary of the squawk-cli dev dependency for this platform
 * (run directly: its `squawk` launcher is a Node script that would add a Node start-up to every run).
 */
function findSquawk(explicit) {
  if (explicit) {
    if (!existsSync(explicit)) fail(`--squawk: ${explicit} does not exist`);
    return explicit;
  }
  try {
    const cli = createRequire(join(ROOT, "package.json")).resolve("squawk-cli/package.json");
    const binary = process.platform === "win32" ? "squawk.exe" : "squawk";
    return createRequire(cli).resolve(`@squawk-cli/${process.platform}-${process.arch}/bin/${binary}`);
  } catch {
    return null;
  }
}

/**
 * One squawk run on the same input. Its CPU time comes from the shell's `times` (the children's user and
 * system time), as it cannot preload a hook; squawk takes a glob, not a directory.
 */
function runSquawk(t, capture, squawk) {
  const input = t.files === 1 ? targetPath(t) : join(targetPath(t), "*.sql");
  const script = '"$0" --reporter json "$1"; rc=$?; times >&2; exit $rc';
  const started = performance.now();
  const child = spawnSync("/bin/sh", ["-c", script, squawk, input], {
    cwd: ROOT,
    stdio: ["ignore", capture ? "pipe" : "ignore", "pipe"],
    maxBuffer: 1 << 30,
  });
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== 0 && child.status !== 1) {
    fail(`squawk ${t.name} exited ${child.status ?? child.signal}: ${String(child.stderr).trim()}`);
  }
  // `times` prints the shell's own user/system line, then its children's.
  const lines = String(child.stderr).trim().split("\n");
  const children = /(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/.exec(lines[lines.length - 1] ?? "");
  const cpu = children
    ? Number(children[1]) * 60 + Number(children[2]) + Number(children[3]) * 60 + Number(children[4])
    : Number.NaN;
  return { seconds, cpu, stdout: capture ? child.stdout : null };
}

/** One whole-process run; lint exits 1 when it finds errors, which is a successful run here. */
function runOnce(t, capture, bin) {
  const started = performance.now();
  const args = ["--import", CPU_HOOK, bin, "lint", "--format", "json", targetPath(t)];
  const child = spawnSync(process.execPath, args, {
    cwd: ROOT,
    stdio: ["ignore", capture ? "pipe" : "ignore", "pipe"],
    maxBuffer: 1 << 30,
    env: { ...process.env, NO_COLOR: "1" },
  });
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== 0 && child.status !== 1) {
    fail(`lint ${t.name} exited ${child.status ?? child.signal}: ${String(child.stderr).trim()}`);
  }
  const cpu = /bench-cpu:(\d+)/.exec(String(child.stderr));
  return { seconds, cpu: cpu ? Number(cpu[1]) / 1e6 : Number.NaN, stdout: capture ? child.stdout : null };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function summarise(t, measured, findings) {
  const times = measured.map((m) => m.seconds);
  return {
    ...t,
    median: median(times),
    min: Math.min(...times),
    cpu: median(measured.map((m) => m.cpu)),
    findings,
  };
}

/** Both tools on one target, runs interleaved (safemigrate, squawk, safemigrate, ...) so load hits both. */
function measure(t, runs, bin, squawk) {
  // The warm-up run also checks the output: every statement linted, findings reported.
  const warm = runOnce(t, true, bin);
  const report = JSON.parse(warm.stdout);
  if (report.summary.statements !== t.statements || report.summary.files !== t.files) {
    fail(`${t.name}: linted ${report.summary.files} files / ${report.summary.statements} statements`);
  }
  const squawkFindings = squawk ? JSON.parse(String(runSquawk(t, true, squawk).stdout) || "[]").length : 0;
  const ours = [];
  const theirs = [];
  for (let i = 0; i < runs; i++) {
    ours.push(runOnce(t, false, bin));
    if (squawk) theirs.push(runSquawk(t, false, squawk));
  }
  return {
    ours: summarise(t, ours, report.findings.length),
    squawk: squawk ? summarise(t, theirs, squawkFindings) : null,
  };
}

function table(title, results) {
  const rows = [["target", "statements", "findings", "median wall", "min wall", "median cpu"]];
  const sec = (n) => `${n.toFixed(3)} s`;
  for (const r of results) {
    rows.push([r.label, String(r.statements), String(r.findings), sec(r.median), sec(r.min), sec(r.cpu)]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (row) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  console.log(title);
  for (const row of rows) console.log(line(row));
  const byName = Object.fromEntries(results.map((r) => [r.name, r]));
  const ratio = (a, b, key) => (byName[b][key] / byName[a][key]).toFixed(2);
  for (const [key, what] of [
    ["median", "wall"],
    ["cpu", "cpu"],
  ]) {
    const file = ratio("file-20k", "file-40k", key);
    console.log(`2x/1x ${what} time ratio: file ${file}, directory ${ratio("dir-2k", "dir-4k", key)}`);
  }
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const { runs, bin } = options;
  if (bin === DEFAULT_BIN && !existsSync(join(ROOT, "dist", "cli", "main.js"))) {
    fail("dist/ is missing: run `npm run build` first");
  }
  const squawk = findSquawk(options.squawk);
  generate();
  const loadBefore = loadavg()[0];
  const results = TARGETS.map((t) => measure(t, runs, bin, squawk));
  const load = `${loadBefore.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end`;
  console.log(`${runs} runs after 1 warm-up each, node ${process.version}, load average ${load}`);
  table(
    "safemigrate lint --format json",
    results.map((r) => r.ours),
  );
  if (!squawk) {
    console.log("squawk: not installed (the squawk-cli dev dependency; `npm install`, or pass --squawk)");
    return;
  }
  console.log("");
  table(
    `squawk --reporter json (${squawk})`,
    results.map((r) => r.squawk),
  );
  console.log("");
  // `times` counts in clock ticks (0.01 s): squawk's start-up alone rounds to 0; compare wall time there.
  console.log("safemigrate / squawk, median cpu (median wall where squawk's cpu is under one clock tick):");
  for (const r of results) {
    const cpu = r.squawk.cpu > 0;
    const ratio = cpu ? r.ours.cpu / r.squawk.cpu : r.ours.median / r.squawk.median;
    console.log(`  ${r.ours.label}: ${ratio.toFixed(2)}${cpu ? "" : " (wall)"}`);
  }
}

main();
