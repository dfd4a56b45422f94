/** Migrations from single files: a file given on its own, or stdin. */
import { createHash } from "node:crypto";
import { basename, dirname } from "node:path";
import { UsageError } from "../errors.js";
import { layoutByName, type NamedFile } from "./layouts/index.js";
import { displayFile, readText } from "./listing.js";
import type { LayoutName, Migration } from "./migration.js";
import {
  isDistinctlyPop,
  type ParsedName,
  parseDirectory,
  parseFlyway,
  parseGolangUp,
  parsePop,
  stem,
} from "./names.js";
import { splitRollback, upPart } from "./sections.js";

export interface ReadOptions {
  /** Read the file as this layout's files are read, instead of guessing from its name and markers. */
  layout?: LayoutName;
  /** The file opts out of a transaction in a way its text does not show (diesel metadata.toml, flyway .conf). */
  noTransaction?: boolean;
}

/** sha256 (hex) of a migration's up part. */
export function checksum(upText: string): string {
  return createHash("sha256").update(upText, "utf8").digest("hex");
}

/** U+FEFF, which editors on Windows put at the start of UTF-8 files. */
const BOM = "\uFEFF";

/**
 * Whether decoded text is binary (an executable, an image, random bytes) rather than SQL: a NUL character
 * (never in SQL; what git and grep go by), or more than one character in ten that is an undecodable byte
 * (U+FFFD) or a control character other than whitespace. A few Latin-1 accents in a comment stay text.
 */
function isBinary(text: string): boolean {
  if (text.includes("\0")) return true;
  const sample = text.slice(0, 8192);
  let odd = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    // Tab, LF, VT, FF and CR are whitespace; the rest of C0, DEL and U+FFFD are not text.
    if (c === 0xfffd || c === 0x7f || c < 0x09 || (c > 0x0d && c < 0x20)) odd++;
  }
  return odd * 10 > sample.length;
}

/** Version and name from the path as `layout` spells them; null when the name does not fit the layout. */
function nameFor(layout: LayoutName, path: string): NamedFile | null {
  return layoutByName(layout).nameOf(path);
}

/** The layout a lone file belongs to: its section markers first, then its name. */
function guessLayout(path: string, markers: "goose" | "dbmate" | null): LayoutName {
  if (markers) return markers;
  const file = basename(path);
  if (parseFlyway(file)) return "flyway";
  const pop = parsePop(file);
  if (pop && isDistinctlyPop(pop)) return "pop";
  if (parseGolangUp(file)) return "golang-migrate";
  if (file === "up.sql" && parseDirectory(basename(dirname(path))).name) return "diesel";
  if (file === "migration.sql" && parseDirectory(basename(dirname(path))).name) return "prisma";
  return "plain";
}

/** How standard input (the path `-`) is shown where a file name would be. */
export const STDIN_PATH = "<stdin>";

/** All of the process's standard input as UTF-8. */
export async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * A migration from one file's text (`path` is shown as given; `<stdin>` for standard input). Without a
 * layout, goose and dbmate section markers are honoured wherever they appear and only the up part is kept;
 * version and name come from the file name when it fits a layout, else the version is the file name. A
 * leading byte order mark is dropped (`file.text` is without it).
 */
export function readMigrationFile(path: string, original: string, options: ReadOptions = {}): Migration {
  // Its bytes are never shown: printed as a syntax error they would garble the terminal.
  if (isBinary(original)) throw new UsageError(`${path}: not a text file (binary content, not SQL)`);
  // A UTF-8 byte order mark is not part of the SQL (nor a column): it is dropped before anything reads the
  // text. The checksum stays that of the text as read before, BOM included, so an applied file still matches.
  const bom = original.startsWith(BOM);
  const text = bom ? original.slice(1) : original;
  const guessed = upPart(text);
  const layout = options.layout ?? guessLayout(path, guessed.markers);
  const descriptor = layoutByName(layout);
  // The rollback sections are never part of the up part, whatever the layout.
  const upOf = (t: string) => splitRollback((options.layout ? descriptor.up(t) : upPart(t)).upText);
  const up = options.layout ? descriptor.up(text) : guessed;
  const split = splitRollback(up.upText);
  const named = nameFor(layout, path) ?? { version: basename(path), name: stem(basename(path)) };
  const noTransaction = up.noTransaction || Boolean(named.noTransaction) || Boolean(options.noTransaction);
  const migration: Migration = {
    version: named.version,
    name: named.name,
    layout,
    file: {
      path,
      text,
      upText: split.upText,
      runsInTransaction: descriptor.runsInTransaction && !noTransaction,
      noTransaction,
    },
    checksum: checksum(bom ? upOf(original).checksumText : split.checksumText),
  };
  if (split.rollbackText !== null) migration.file.rollbackText = split.rollbackText;
  if (named.repeatable) migration.repeatable = true;
  return migration;
}

/**
 * A goose Go migration: in the sequence, with a checksum of its source for drift, but no SQL (`go` is set;
 * lint, plan and the runner leave it alone, and `up` stops before it while it is pending).
 */
export function goMigration(path: string, source: string, named: ParsedName): Migration {
  return {
    version: named.version,
    name: named.name,
    layout: "goose",
    file: { path, text: "", upText: "", runsInTransaction: true, noTransaction: false },
    checksum: checksum(source),
    go: true,
  };
}

/** A lone file's sidecar (diesel metadata.toml, flyway .conf) opts it out of the transaction. */
async function sidecarOptsOut(path: string, layout: LayoutName): Promise<boolean> {
  const sidecar = layoutByName(layout).sidecar;
  if (!sidecar) return false;
  const text = await readText(sidecar.pathFor(path)).catch(() => "");
  return sidecar.optsOut.test(text);
}

/** Reads one migration file from disk (a `UsageError` naming the path when it cannot be read). */
export async function readMigrationPath(
  path: string,
  options: { layout?: LayoutName } = {},
): Promise<Migration> {
  const shown = displayFile(path);
  const text = await readText(path, shown);
  const migration = readMigrationFile(shown, text, options);
  if (await sidecarOptsOut(path, migration.layout)) {
    return readMigrationFile(shown, text, { ...options, noTransaction: true });
  }
  return migration;
}
