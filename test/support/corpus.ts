/**
 * The shared corpus of real migration histories, read in place (never copied into the repository): from
 * SAFEMIGRATE_CORPUS when set, else ../shared/corpus beside the repository. A clone without it still passes
 * its tests: the tests that need it do not run, say why, and the run's summary says so (skip-summary.ts).
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const CORPUS_ROOT = process.env.SAFEMIGRATE_CORPUS
  ? resolve(process.env.SAFEMIGRATE_CORPUS)
  : resolve(dirname(fileURLToPath(import.meta.url)), "../../../shared/corpus");

/** How each skip line starts, so the run's summary can collect them from the tests' output. */
export const SKIP_MARK = "[safemigrate test] skipped:";

/** Null when the corpus is there; else why the tests that read it do not run (printed once per file). */
export function corpusMissing(what: string): string | null {
  if (existsSync(CORPUS_ROOT)) return null;
  const from = process.env.SAFEMIGRATE_CORPUS ? "SAFEMIGRATE_CORPUS" : "no SAFEMIGRATE_CORPUS, default";
  const reason = `${SKIP_MARK} ${what}: no corpus at ${CORPUS_ROOT} (${from})`;
  console.warn(reason);
  return reason;
}

export const corpusPath = (relative: string): string => join(CORPUS_ROOT, relative);
