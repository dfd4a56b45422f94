/**
 * node-pg-migrate SQL migrations: `<timestamp>_<name>.sql` with `-- Up Migration` and `-- Down Migration`
 * comments, read as node-pg-migrate reads them (its `getActions`): the up part runs from the up comment to
 * the down comment (or the end), the down part from the down comment to the up comment (or the end); a file
 * without an up comment is all up, down section included, as node-pg-migrate runs it.
 */
import { basename } from "node:path";
import type { Listing } from "../listing.js";
import { parseNumbered } from "../names.js";
import { blank, type UpPart } from "../sections.js";
import { compareNodePgMigrateVersions, compareText } from "../version-order.js";
import { claimedCount, type DownText, filesMatching, type Layout } from "./layout.js";

const UP = /^\s*--[\s-]*up\s+migration/im;
const DOWN = /^\s*--[\s-]*down\s+migration/im;

/**
 * node-pg-migrate's section comments are in the text, each a line of its own as its template writes them
 * (what detection and a lone file go by: a comment that merely starts with "up migration" is not one).
 */
export const hasNodePgMigrateMarkers = (text: string) =>
  /^[ \t]*--[ \t-]*(?:up|down)[ \t]+migration[ \t]*\r?$/im.test(text);

/**
 * `-- no transaction` in the comment lines that open the file (before its first statement): node-pg-migrate
 * runs both parts of the file outside a transaction.
 */
function optsOut(text: string): boolean {
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    if (!trimmed.startsWith("--")) return false;
    if (/^--[ \t]*no[ \t]*transaction[ \t]*$/i.test(trimmed)) return true;
  }
  return false;
}

/** `text` with everything outside `[from, to)` blanked. */
const only = (text: string, from: number, to: number) =>
  blank(text.slice(0, from)) + text.slice(from, to) + blank(text.slice(to));

function upOf(text: string): UpPart {
  const up = text.search(UP);
  const down = text.search(DOWN);
  const upText = up < 0 ? text : only(text, up, down < up ? text.length : down);
  return { upText, noTransaction: optsOut(text), markers: null };
}

function downOf(text: string): DownText | null {
  const up = text.search(UP);
  const down = text.search(DOWN);
  if (down < 0) return null;
  return { downText: only(text, down, up < down ? text.length : up), noTransaction: optsOut(text) };
}

const numbered = async (l: Listing) => filesMatching(l, parseNumbered);

export const nodePgMigrate: Layout = {
  name: "node-pg-migrate",
  nameOf: (path) => parseNumbered(basename(path)),
  pattern: "`<timestamp>_<name>.sql`",
  collect: numbered,
  // node-pg-migrate runs its JavaScript and TypeScript migrations in the same sequence.
  unreadable: (rel) =>
    /^\d+_.*\.[cm]?[jt]s$/.test(rel)
      ? "a node-pg-migrate JavaScript or TypeScript migration: safemigrate reads SQL only, so it is not linted, planned or run"
      : null,
  claims: async (l, c) => hasNodePgMigrateMarkers(await l.read(c.rel)),
  score: (l) => claimedCount(nodePgMigrate, l),
  compare: (a, b) => compareNodePgMigrateVersions(a.version, b.version) || compareText(a.rel, b.rel),
  up: upOf,
  // Each migration in a transaction (by default all pending ones in one: --single-transaction).
  runsInTransaction: true,
  scaffold: {
    versions: "unix-ms",
    paths: (v, s) => ({ up: `${v}_${s}.sql` }),
    header: "-- Up Migration",
    downSection: "node-pg-migrate",
  },
  down: { part: downOf, name: "-- Down Migration section" },
};
