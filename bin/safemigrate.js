#!/usr/bin/env node
import { setFlagsFromString } from "node:v8";

// Both WebAssembly modules (the Postgres parser, and PGlite's Postgres for plan) run for seconds at most.
// V8's optimising tier-up recompiles their hot functions on the two cores the run itself needs; for runs
// this short the baseline compiler alone is faster (measured by npm run bench:plan and bench:lint, see
// docs/plan.md). Set before any module is compiled; a Node that refuses it only runs slower.
try {
  setFlagsFromString("--liftoff-only");
} catch {}

const { main } = await import("../dist/cli/main.js");

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(
      `safemigrate: internal error: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
