/** The layout descriptor: which files are a tool's migrations, their order, up part, transactions, down part. */
import type { Listing } from "../listing.js";
import type { DiscoveryNotice, LayoutName, Migration } from "../migration.js";
import { type ParsedName, parseDirectory, type VersionStyle } from "../names.js";
import { hasMarkers, type MarkerKind, type UpPart } from "../sections.js";
import { compareText } from "../version-order.js";

/** A migration file found in a directory, before it is read. */
export interface Candidate extends ParsedName {
  /** Path relative to the directory (`x.sql`, `sub/up.sql`). */
  rel: string;
  repeatable?: boolean;
  /** An opt-out of the transaction found outside the file text (metadata.toml, `.autocommit.`, `.sql.conf`). */
  noTransaction?: boolean;
  /** A goose Go migration: listed, ordered and recorded, never read as SQL. */
  go?: boolean;
  /** Its place in the sequence a manifest of the tool gives (drizzle's journal, atlas.sum): that is the order. */
  position?: number;
}

export interface Layout {
  name: LayoutName;
  /** The names of its migration files, for messages about files it does not read. */
  pattern: string;
  /** Why a file named like its migrations is not one (drizzle-kit: its journal does not list it). */
  unlisted?: string;
  /**
   * A migration of the owning tool that safemigrate cannot read (node-pg-migrate's JavaScript ones): why, for
   * the report of files not read; null for any other file.
   */
  unreadable?(rel: string): string | null;
  /** A file the owning tool reads that is not an up migration (a down part, another dialect): not reported. */
  partner?(rel: string): boolean;
  /** The layout's migration files in the listing, in no particular order. */
  collect(listing: Listing): Promise<Candidate[]>;
  /** Detection: how many files unmistakably of this layout the listing holds (0: not this layout). */
  score(listing: Listing): Promise<number>;
  /**
   * A candidate that on its own says it is this layout's (goose and dbmate: their section markers in the
   * file, or a goose Go migration; pop: a dialect, autocommit or fizz in its name). Absent: its name says so.
   */
  claims?(listing: Listing, candidate: Candidate): Promise<boolean>;
  /** The owning tool's order. */
  compare(a: Candidate, b: Candidate): number;
  /** Its migrations live in a subdirectory or one each (diesel, prisma, graphile-migrate's `committed/`). */
  nested?: boolean;
  /** What the owning tool would refuse to run in the directory (a journal entry without its file), as notices. */
  check?(listing: Listing, candidates: Candidate[]): Promise<DiscoveryNotice[]>;
  /** Version and name of a file given on its own (`path` as given); null when it is not named like this layout's. */
  nameOf(path: string): NamedFile | null;
  /** The up part of a file's text. */
  up(text: string): UpPart;
  /** The owning tool wraps each file in a transaction unless the file opts out. */
  runsInTransaction: boolean;
  /** A file beside the migration that can opt it out of the transaction (diesel, flyway). */
  sidecar?: Sidecar;
  /**
   * Where the owning tool keeps a migration's down part: files beside it (first found wins), goose or dbmate
   * sections, or a part of the file the layout finds itself (`name` says what it is called).
   */
  down?:
    | { files: (path: string) => string[] }
    | { sections: readonly MarkerKind[] }
    | { part: (text: string) => DownText | null; name: string };
  /** How the owning tool names and lays out a new migration (`safemigrate new`). */
  scaffold: Scaffold;
}

/** A new migration's files as the owning tool's generator writes them. */
export interface Scaffold {
  /** How the tool numbers the first migration of an empty directory. */
  versions: VersionStyle;
  /** The up file (relative to the directory) and, where the tool keeps the down part in a file of its own, that file. */
  paths(version: string, slug: string): { up: string; down?: string };
  /** Where the down part goes when it has no file of its own: the tool's down section, or a safemigrate rollback section. */
  downSection: "goose" | "dbmate" | "node-pg-migrate" | "rollback" | null;
  /** Slugs in lower case (prisma's generator lowercases the name). */
  lowerCase?: boolean;
  /** The line the tool's generator starts a file with (node-pg-migrate's `-- Up Migration`). */
  header?: string;
  /**
   * Brings the tool's manifest up to date for the new files (drizzle's journal), before they are written (a
   * `UsageError` when it cannot: nothing is written); returns the files it changed, relative to the directory.
   */
  record?(dir: string, written: { rel: string; version: string; now: Date; text: string }): Promise<string[]>;
  /** Why `new` cannot write the next of these migrations (its tool writes them itself); null: it can. */
  refuse?(migrations: Migration[]): string | null;
}

/** A down part found in a file's text, same geometry (everything else blanked). */
export interface DownText {
  downText: string;
  noTransaction: boolean;
}

/** A lone file's version and name, and what its name says about it. */
export interface NamedFile extends ParsedName {
  repeatable?: boolean;
  noTransaction?: boolean;
}

export interface Sidecar {
  /** The sidecar's path from the migration file's path (relative or not). */
  pathFor(migration: string): string;
  /** Matches a sidecar text that opts out of the transaction. */
  optsOut: RegExp;
  /** A sidecar's text that opts out (what `safemigrate new` writes). */
  optOut: string;
}

/** Whether the candidate's sidecar, when the listing has one, opts it out of the transaction. */
export async function sidecarOptsOut(listing: Listing, rel: string, sidecar: Sidecar): Promise<boolean> {
  const path = sidecar.pathFor(rel);
  return listing.has(path) && sidecar.optsOut.test(await listing.read(path));
}

export const wholeFile = (text: string): UpPart => ({ upText: text, noTransaction: false, markers: null });

/** Orders by `byVersion`, then by name, then by path, so that the order is total. */
export function ordered(byVersion: (a: string, b: string) => number) {
  return (a: Candidate, b: Candidate) =>
    byVersion(a.version, b.version) || compareText(a.name, b.name) || compareText(a.rel, b.rel);
}

export function filesMatching(listing: Listing, parse: (file: string) => ParsedName | null): Candidate[] {
  return listing.files.flatMap((rel) => {
    const parsed = parse(rel);
    return parsed ? [{ ...parsed, rel }] : [];
  });
}

/** `<version>_<name>/<file>` directories (diesel `up.sql`, prisma `migration.sql`). */
export function directoriesWith(listing: Listing, file: string): Candidate[] {
  return [...listing.subdirs]
    .filter(([, names]) => names.includes(file))
    .map(([dir]) => ({ ...parseDirectory(dir), rel: `${dir}/${file}` }));
}

/** Detection's count for a layout whose candidates each say whether they are its own. */
export async function claimedCount(layout: Layout, listing: Listing): Promise<number> {
  let count = 0;
  for (const c of await layout.collect(listing)) if (await claimedBy(layout, listing, c)) count++;
  return count;
}

/** The candidate is unmistakably `layout`'s: detection and the report of unread files agree on it. */
export async function claimedBy(layout: Layout, listing: Listing, candidate: Candidate): Promise<boolean> {
  return layout.claims ? layout.claims(listing, candidate) : true;
}

export const markersIn = (listing: Listing, c: Candidate, kind: "goose" | "dbmate") =>
  listing.read(c.rel).then((text) => hasMarkers(text, kind));
