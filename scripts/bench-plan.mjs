#!/usr/bin/env node
// Plan benchmark: whole-process wall time of `safemigrate plan --format json` on the crates.io history
// (../shared/corpus/cratesio/migrations: 285 real migrations, every one traced on the embedded shadow).
//
//   npm run bench:plan [-- --runs N] [-- --bin path/to/safemigrate.js] [-- --dir path/to/migrations]
//
// One warm-up run (it also fills the shadow's data-directory cache), then N timed runs (default 5). Each
// run asks plan for its own split (SAFEMIGRATE_TIMINGS=1: start, replay, trace, render, on stderr); the
// table shows the median of each, the process's CPU time and the target (4 s wall).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const TARGET_MS = 4000;

function fail(message) {
  console.error(`bench-plan: ${message}`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = {
    runs: 5,
    bin: join(ROOT, "bin", "safemigrate.js"),
    dir: join(ROOT, "..", "shared", "corpus", "cratesio", "migrations"),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") {
      console.log("usage: node scripts/bench-plan.mjs [--runs N] [--bin safemigrate.js] [--dir migrations]");
      process.exit(0);
    }
    const name = arg.split("=")[0];
    if (!["--runs", "--bin", "--dir"].includes(name)) fail(`unknown argument '${arg}'`);
    const value = arg.includes("=") ? arg.slice(name.length + 1) : argv[++i];
    if (value === undefined) fail(`${name}: missing value`);
    options[name.slice(2)] = name === "--runs" ? Number(value) : value;
  }
  if (!Number.isInteger(options.runs) || options.runs < 1) fail("--runs: expected a positive integer");
  if (!existsSync(options.bin)) fail(`${options.bin} not found (run npm run build first)`);
  if (!existsSync(options.dir)) fail(`${options.dir} not found`);
  return options;
}

/** One plan process: wall and CPU time, plan's own split, and the size of its output. */
function runOnce(options) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [options.bin, "plan", "--format", "json", options.dir], {
      env: { ...process.env, SAFEMIGRATE_TIMINGS: "1", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = 0;
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk.length;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      const wall = performance.now() - started;
      const split = /start (\d+) ms, replay (\d+) ms, trace (\d+) ms, render (\d+) ms, cpu (\d+) ms/.exec(
        stderr,
      );
      if (code !== 0 || !split) {
        reject(new Error(`plan exited ${code}: ${stderr.trim().split("\n").slice(-3).join(" | ")}`));
        return;
      }
      const [start, replay, trace, render, cpu] = split.slice(1).map(Number);
      resolve({ wall, cpu, start, replay, trace, render, bytes: stdout });
    });
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const ms = (v) => `${Math.round(v)} ms`;

async function main() {
  const options = parseArgs(process.argv.slice(2));
  console.log(`plan --format json ${options.dir}`);
  console.log("warm-up run...");
  await runOnce(options);
  const runs = [];
  for (let i = 0; i < options.runs; i++) {
    const run = await runOnce(options);
    runs.push(run);
    console.log(
      `  run ${i + 1}: ${ms(run.wall)} wall (start ${run.start}, replay ${run.replay}, trace ${run.trace}, render ${run.render})`,
    );
  }
  const pick = (key) => median(runs.map((r) => r[key]));
  const wall = pick("wall");
  const rows = [
    ["wall (whole process)", ms(wall)],
    ["cpu (user + system)", ms(pick("cpu"))],
    ["start (process start to shadow ready)", ms(pick("start"))],
    ["replay", ms(pick("replay"))],
    ["trace", ms(pick("trace"))],
    ["render", ms(pick("render"))],
    ["output", `${Math.round(pick("bytes") / 1024)} kB`],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`\nmedian of ${runs.length} runs:`);
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
  const verdict = wall <= TARGET_MS ? "within" : "over";
  console.log(
    `\n${verdict} the ${TARGET_MS / 1000} s target (load average now: ${(await loadAverage()).toFixed(2)})`,
  );
}

async function loadAverage() {
  const { loadavg } = await import("node:os");
  return loadavg()[0];
}

main().catch((error) => fail(error.message));
