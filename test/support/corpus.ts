/**
 * The shared corpus of real migration histories, read in place from ../shared/corpus beside the repository
 * (never copied into it). A clone without it still passes its tests: the tests that need it do not run,
 * and say so.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const CORPUS_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../shared/corpus");

/** Null when the corpus is there; else why the tests that read it do not run (printed once per file). */
export function corpusMissing(what: string): string | null {
  if (existsSync(CORPUS_ROOT)) return null;
  const reason = `[safemigrate test] ${what} did not run: no shared corpus at ${CORPUS_ROOT}`;
  console.warn(reason);
  return reason;
}

export const corpusPath = (relative: string): string => join(CORPUS_ROOT, relative);
