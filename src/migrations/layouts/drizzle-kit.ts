/**
 * drizzle-kit: `<NNNN>_<tag>.sql` files listed in `meta/_journal.json`. drizzle's migrator runs the journal's
 * entries in the journal's order (a file the journal does not list never runs) and sends each statement
 * between `--> statement-breakpoint` lines as a query of its own. drizzle-kit 1.0 keeps no journal: each
 * migration is a `<timestamp>_<name>/` folder holding `migration.sql` and `snapshot.json`, in name order.
 */
import { randomUUID } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { UsageError } from "../../errors.js";
import type { Listing } from "../listing.js";
import { parseDirectory, parseNumbered } from "../names.js";
import { compareText } from "../version-order.js";
import { type Candidate, directoriesWith, type Layout } from "./layout.js";

const DRIZZLE_JOURNAL = "meta/_journal.json";
const BREAKPOINT = "--> statement-breakpoint";

interface JournalEntry {
  idx: number;
  version?: string;
  when: number;
  tag: string;
  breakpoints?: boolean;
}

interface Journal {
  version?: string;
  dialect?: string;
  entries: JournalEntry[];
}

/** The value of a JSON text; a `UsageError` naming the file when it is not JSON. */
function jsonOf(text: string, shown: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${shown}: not valid JSON (${(error as Error).message.split("\n")[0]})`);
  }
}

/** The journal's text as a journal; a `UsageError` naming the file when it is not one. */
function parseJournal(text: string, shown: string): Journal {
  const journal = jsonOf(text, shown);
  const entries = (journal as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(entries))
    throw new UsageError(`${shown}: no "entries" list (not a drizzle-kit journal)`);
  entries.forEach((entry, i) => {
    if (typeof (entry as JournalEntry | null)?.tag !== "string")
      throw new UsageError(`${shown}: entries[${i}] has no "tag"`);
  });
  return journal as Journal;
}

async function journalOf(listing: Listing): Promise<Journal | null> {
  if (!listing.has(DRIZZLE_JOURNAL)) return null;
  return parseJournal(await listing.read(DRIZZLE_JOURNAL), listing.display(DRIZZLE_JOURNAL));
}

/** Version and name of a tag: `0003_brave_wolf` -> `0003`, `brave_wolf`; a tag without a number: its index. */
function named(tag: string, index: number) {
  return parseNumbered(`${tag}.sql`) ?? { version: String(index).padStart(4, "0"), name: tag };
}

/** drizzle-kit 1.0's migration folders: `migration.sql` beside the folder's `snapshot.json`. */
const folders = (listing: Listing) =>
  directoriesWith(listing, "migration.sql").filter((c) =>
    listing.has(c.rel.replace(/migration\.sql$/, "snapshot.json")),
  );

/** The journal's migrations in its order, or without a journal the 1.0 folders. */
async function drizzleMigrations(listing: Listing): Promise<Candidate[]> {
  const journal = await journalOf(listing);
  if (!journal) return folders(listing);
  return journal.entries.flatMap((entry, position) => {
    const rel = `${entry.tag}.sql`;
    return listing.has(rel) ? [{ ...named(entry.tag, position), rel, position }] : [];
  });
}

/**
 * The statement breakpoints as statement ends: each `--> statement-breakpoint` becomes a `;` and spaces, so
 * that a statement drizzle sends on its own is one even without a semicolon, and every offset stays.
 */
function splitAtBreakpoints(text: string) {
  const upText = text.replaceAll(BREAKPOINT, `;${" ".repeat(BREAKPOINT.length - 1)}`);
  return { upText, noTransaction: false, markers: null };
}

/** The journal's indentation (drizzle-kit writes two spaces; a journal reformatted with tabs keeps them). */
const indentOf = (text: string) => (/^\t/m.test(text) ? "\t" : 2);

/**
 * `new`: the journal gets the new file's entry (after the newest, `when` later than every other, so that
 * the migrator runs it after those already applied), and, as `drizzle-kit generate --custom` does, a
 * snapshot that copies the newest one with a new id, so that drizzle-kit's next diff starts from it.
 */
async function recordInJournal(
  dir: string,
  written: { rel: string; version: string; now: Date },
): Promise<string[]> {
  const path = join(dir, DRIZZLE_JOURNAL);
  const text = await readFile(path, "utf8").catch(() => null);
  const journal: Journal = text
    ? parseJournal(text, path)
    : { version: "7", dialect: "postgresql", entries: [] };
  const last = journal.entries.at(-1);
  // Read (and checked) before anything is written.
  const previous = last && `meta/${named(last.tag, journal.entries.length - 1).version}_snapshot.json`;
  const snapshotText = previous && (await readFile(join(dir, previous), "utf8").catch(() => null));
  const snapshot = snapshotText
    ? (jsonOf(snapshotText, join(dir, previous as string)) as { id?: string })
    : null;
  const snapshotRel = `meta/${written.version}_snapshot.json`;
  const taken = await readFile(join(dir, snapshotRel)).then(
    () => true,
    () => false,
  );
  journal.entries.push({
    idx: journal.entries.length,
    version: last?.version ?? journal.version ?? "7",
    when: Math.max(written.now.getTime(), (last?.when ?? 0) + 1),
    tag: basename(written.rel, ".sql"),
    breakpoints: true,
  });
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(journal, null, text ? indentOf(text) : 2)}\n`);
  if (!snapshot || taken) return [DRIZZLE_JOURNAL];
  const copy = { ...snapshot, id: randomUUID(), prevId: snapshot.id };
  await writeFile(
    join(dir, snapshotRel),
    `${JSON.stringify(copy, null, indentOf(snapshotText as string))}\n`,
  );
  return [DRIZZLE_JOURNAL, snapshotRel];
}

export const drizzleKit: Layout = {
  name: "drizzle-kit",
  nameOf: (path) =>
    basename(path) === "migration.sql"
      ? parseDirectory(basename(dirname(path)))
      : parseNumbered(basename(path)),
  pattern: "`<NNNN>_<tag>.sql` and listed in `meta/_journal.json`",
  unlisted: "and meta/_journal.json does not list this file: drizzle's migrator never runs it",
  collect: drizzleMigrations,
  // The journal (or a folder's snapshot.json) says drizzle-kit: it wins over prisma's and any other reading.
  score: async (l) => {
    const found = (await drizzleMigrations(l)).length;
    return l.has(DRIZZLE_JOURNAL) || found > 0 ? found + 1 : 0;
  },
  compare: (a, b) => (a.position ?? 0) - (b.position ?? 0) || compareText(a.rel, b.rel),
  async check(listing) {
    const journal = await journalOf(listing);
    return (journal?.entries ?? [])
      .filter((entry) => !listing.has(`${entry.tag}.sql`))
      .map((entry) => ({
        kind: "refused-by-tool" as const,
        file: listing.display(`${entry.tag}.sql`),
        message: `${DRIZZLE_JOURNAL} lists ${entry.tag}, but the file is missing: drizzle's migrator stops at it`,
      }));
  },
  up: splitAtBreakpoints,
  // drizzle's migrator runs all pending files in one transaction (docs/layouts.md, drizzle-kit).
  runsInTransaction: true,
  scaffold: {
    versions: "index",
    paths: (v, s) => ({ up: `${v}_${s}.sql` }),
    downSection: "rollback",
    record: recordInJournal,
    refuse: (migrations) =>
      migrations.some((m) => basename(m.file.path) === "migration.sql")
        ? "drizzle-kit 1.0 migration folders carry a snapshot of the schema: run drizzle-kit generate --custom --name <name>"
        : null,
  },
};
