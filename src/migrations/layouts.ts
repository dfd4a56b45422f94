/** One small descriptor per migration directory layout: which files, their order, their up part, transactions. */
import { basename, dirname, join } from "node:path";
import type { Listing } from "./listing.js";
import type { LayoutName } from "./migration.js";
import {
  isDistinctlyPop,
  type ParsedName,
  parseDbmate,
  parseDirectory,
  parseFlyway,
  parseGolangUp,
  parseGooseGo,
  parseNumbered,
  parsePlain,
  parsePop,
} from "./names.js";
import { hasMarkers, type MarkerKind, type UpPart, upPart } from "./sections.js";
import {
  compareDieselVersions,
  compareFlywayVersions,
  compareNumericVersions,
  compareText,
} from "./version-order.js";

/** A migration file found in a directory, before it is read. */
export interface Candidate extends ParsedName {
  /** Path relative to the directory (`x.sql`, `sub/up.sql`). */
  rel: string;
  repeatable?: boolean;
  /** An opt-out of the transaction found outside the file text (metadata.toml, `.autocommit.`, `.sql.conf`). */
  noTransaction?: boolean;
  /** A goose Go migration: listed, ordered and recorded, never read as SQL. */
  go?: boolean;
}

export interface Layout {
  name: LayoutName;
  /** The names of its migration files, for messages about files it does not read. */
  pattern: string;
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
  /** Version and name of a file given on its own (`path` as given); null when it is not named like this layout's. */
  nameOf(path: string): NamedFile | null;
  /** The up part of a file's text. */
  up(text: string): UpPart;
  /** The owning tool wraps each file in a transaction unless the file opts out. */
  runsInTransaction: boolean;
  /** A file beside the migration that can opt it out of the transaction (diesel, flyway). */
  sidecar?: Sidecar;
  /** Where the owning tool keeps a migration's down part: files beside it (first found wins), or sections. */
  down?: { files: (path: string) => string[] } | { sections: readonly MarkerKind[] };
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
}

const FLYWAY_CONF: Sidecar = {
  pathFor: (migration) => `${migration}.conf`,
  optsOut: /^\s*executeInTransaction\s*=\s*false\b/im,
};

const DIESEL_METADATA: Sidecar = {
  pathFor: (migration) => migration.replace(/up\.sql$/, "metadata.toml"),
  optsOut: /^\s*run_in_transaction\s*=\s*false\b/m,
};

/** Whether the candidate's sidecar, when the listing has one, opts it out of the transaction. */
async function sidecarOptsOut(listing: Listing, rel: string, sidecar: Sidecar): Promise<boolean> {
  const path = sidecar.pathFor(rel);
  return listing.has(path) && sidecar.optsOut.test(await listing.read(path));
}

const wholeFile = (text: string): UpPart => ({ upText: text, noTransaction: false, markers: null });

/** Orders by `byVersion`, then by name, then by path, so that the order is total. */
function ordered(byVersion: (a: string, b: string) => number) {
  return (a: Candidate, b: Candidate) =>
    byVersion(a.version, b.version) || compareText(a.name, b.name) || compareText(a.rel, b.rel);
}

function filesMatching(listing: Listing, parse: (file: string) => ParsedName | null): Candidate[] {
  return listing.files.flatMap((rel) => {
    const parsed = parse(rel);
    return parsed ? [{ ...parsed, rel }] : [];
  });
}

/** `<version>_<name>/<file>` directories (diesel `up.sql`, prisma `migration.sql`). */
function directoriesWith(listing: Listing, file: string): Candidate[] {
  return [...listing.subdirs]
    .filter(([, names]) => names.includes(file))
    .map(([dir]) => ({ ...parseDirectory(dir), rel: `${dir}/${file}` }));
}

/** Detection's count for a layout whose candidates each say whether they are its own. */
async function claimedCount(layout: Layout, listing: Listing): Promise<number> {
  let count = 0;
  for (const c of await layout.collect(listing)) if (await claimedBy(layout, listing, c)) count++;
  return count;
}

/** The candidate is unmistakably `layout`'s: detection and the report of unread files agree on it. */
export async function claimedBy(layout: Layout, listing: Listing, candidate: Candidate): Promise<boolean> {
  return layout.claims ? layout.claims(listing, candidate) : true;
}

const markersIn = (listing: Listing, c: Candidate, kind: "goose" | "dbmate") =>
  listing.read(c.rel).then((text) => hasMarkers(text, kind));

const numbered = async (l: Listing) => filesMatching(l, parseNumbered);

const plain: Layout = {
  name: "plain",
  nameOf: (path) => parsePlain(basename(path)),
  pattern: "`<version>_<name>.sql` or `<version>-<name>.sql`",
  collect: async (l) => filesMatching(l, parsePlain),
  // The fallback: chosen only when no other layout matches anything.
  score: async () => 0,
  compare: ordered(compareNumericVersions),
  up: (text) => upPart(text),
  runsInTransaction: false,
  down: { sections: ["goose", "dbmate"] },
};

const flyway: Layout = {
  name: "flyway",
  nameOf: (path) => parseFlyway(basename(path)),
  pattern: "`V<version>__<name>.sql` or `R__<name>.sql`",
  // Undo migrations (Flyway Teams) are the down part.
  partner: (rel) => /^U\d+(?:[._]\d+)*__.*\.sql$/.test(rel),
  async collect(listing) {
    const found = listing.files.flatMap((rel) => {
      const parsed = parseFlyway(rel);
      return parsed ? [{ ...parsed, rel }] : [];
    });
    return Promise.all(
      found.map(async (c) => ({ ...c, noTransaction: await sidecarOptsOut(listing, c.rel, FLYWAY_CONF) })),
    );
  },
  score: async (l) => l.files.filter((f) => parseFlyway(f)).length,
  compare: (a, b) =>
    Number(a.repeatable ?? false) - Number(b.repeatable ?? false) ||
    (a.repeatable ? compareText(a.name, b.name) : compareFlywayVersions(a.version, b.version)) ||
    compareText(a.rel, b.rel),
  up: wholeFile,
  runsInTransaction: true,
  sidecar: FLYWAY_CONF,
  // Flyway Teams undo migrations: `U<version>__<description>.sql` beside `V<version>__<description>.sql`.
  down: { files: (path) => [join(dirname(path), basename(path).replace(/^V/, "U"))] },
};

const golangMigrate: Layout = {
  name: "golang-migrate",
  nameOf: (path) => parseGolangUp(basename(path)),
  pattern: "`<version>_<name>.up.sql`",
  partner: (rel) => /^\d+_.*\.down\.sql$/.test(rel),
  collect: async (l) => filesMatching(l, parseGolangUp),
  // The `.up.sql` files count; `.down.sql` partners are optional and ignored.
  score: async (l) => l.files.filter((f) => parseGolangUp(f)).length,
  compare: ordered(compareNumericVersions),
  up: wholeFile,
  runsInTransaction: false,
  down: { files: (path) => [path.replace(/\.up\.sql$/, ".down.sql")] },
};

const goose: Layout = {
  name: "goose",
  nameOf: (path) => parseNumbered(basename(path)),
  pattern: "`<version>_<name>.sql`",
  // goose runs its Go migrations in the same sequence as the SQL ones.
  collect: async (l) => [
    ...(await numbered(l)),
    ...filesMatching(l, parseGooseGo).map((c) => ({ ...c, go: true })),
  ],
  claims: async (l, c) => c.go === true || (await markersIn(l, c, "goose")),
  score: (l) => claimedCount(goose, l),
  compare: ordered(compareNumericVersions),
  up: (text) => upPart(text, ["goose"]),
  runsInTransaction: true,
  down: { sections: ["goose"] },
};

const dbmateFiles = async (l: Listing) => filesMatching(l, parseDbmate);
const dbmate: Layout = {
  name: "dbmate",
  nameOf: (path) => parseDbmate(basename(path)),
  pattern: "`<version>_<name>.sql`",
  collect: dbmateFiles,
  claims: (l, c) => markersIn(l, c, "dbmate"),
  score: (l) => claimedCount(dbmate, l),
  // dbmate sorts its migrations by file name.
  compare: (a, b) => compareText(a.rel, b.rel),
  up: (text) => upPart(text, ["dbmate"]),
  runsInTransaction: true,
  down: { sections: ["dbmate"] },
};

const diesel: Layout = {
  name: "diesel",
  nameOf: (path) => (basename(path) === "up.sql" ? parseDirectory(basename(dirname(path))) : null),
  pattern: "`<version>_<name>/up.sql`",
  partner: (rel) => /^[^/]+\/down\.sql$/.test(rel),
  async collect(listing) {
    const candidates = directoriesWith(listing, "up.sql");
    const optOuts = await Promise.all(candidates.map((c) => sidecarOptsOut(listing, c.rel, DIESEL_METADATA)));
    return candidates.map((c, i) => ({ ...c, noTransaction: optOuts[i] ?? false }));
  },
  score: async (l) => directoriesWith(l, "up.sql").length,
  compare: ordered(compareDieselVersions),
  up: wholeFile,
  runsInTransaction: true,
  sidecar: DIESEL_METADATA,
  down: { files: (path) => [join(dirname(path), "down.sql")] },
};

const prisma: Layout = {
  name: "prisma",
  nameOf: (path) => (basename(path) === "migration.sql" ? parseDirectory(basename(dirname(path))) : null),
  pattern: "`<timestamp>_<name>/migration.sql`",
  collect: async (l) => directoriesWith(l, "migration.sql"),
  // A migration_lock.toml settles a tie.
  score: async (l) => {
    const count = directoriesWith(l, "migration.sql").length;
    return count > 0 && l.files.includes("migration_lock.toml") ? count + 1 : count;
  },
  // Prisma applies its migration directories in the order of their names.
  compare: (a, b) => compareText(a.rel, b.rel),
  up: wholeFile,
  runsInTransaction: false,
};

const pop: Layout = {
  name: "pop",
  nameOf: (path) => {
    const parsed = parsePop(basename(path));
    return parsed && { version: parsed.version, name: parsed.name, noTransaction: parsed.autocommit };
  },
  pattern: "`<version>_<name>[.postgres].up.sql`",
  // Down files and other dialects' files are not up migrations for Postgres; fizz up files are reported.
  partner: (rel) => {
    const p = parsePop(rel);
    return p !== null && (p.direction === "down" || (p.dialect !== "postgres" && p.dialect !== "all"));
  },
  async collect(listing) {
    // Per version, the Postgres file wins over the dialect-less one; fizz and other dialects are not run here.
    const best = new Map<string, Candidate & { dialect: string }>();
    for (const rel of listing.files) {
      const p = parsePop(rel);
      const runs =
        p?.direction === "up" && p.type === "sql" && (p.dialect === "postgres" || p.dialect === "all");
      if (!p || !runs) continue;
      const current = best.get(p.version);
      if (!current || (current.dialect === "all" && p.dialect === "postgres")) {
        best.set(p.version, {
          version: p.version,
          name: p.name,
          rel,
          noTransaction: p.autocommit,
          dialect: p.dialect,
        });
      }
    }
    return [...best.values()].map(({ dialect: _, ...candidate }) => candidate);
  },
  // `1_a.up.sql` fits pop's names too: only a dialect, autocommit or fizz says pop.
  claims: async (_, c) => {
    const parsed = parsePop(c.rel);
    return parsed !== null && isDistinctlyPop(parsed);
  },
  score: async (l) => {
    const files = l.files.flatMap((f) => parsePop(f) ?? []).filter((p) => p.direction === "up");
    return files.some(isDistinctlyPop) ? files.length : 0;
  },
  // pop compares versions as strings.
  compare: (a, b) => compareText(a.version, b.version) || compareText(a.name, b.name),
  up: wholeFile,
  runsInTransaction: true,
  // The down file of the same dialect, else the dialect-less one.
  down: {
    files: (path) => [
      path.replace(/\.up\.sql$/, ".down.sql"),
      path.replace(/\.postgres(\.autocommit)?\.up\.sql$/, "$1.down.sql"),
    ],
  },
};

/** All layouts; on equal detection scores the earlier (more specific) one wins. */
export const LAYOUT_DESCRIPTORS: readonly Layout[] = [
  diesel,
  prisma,
  pop,
  golangMigrate,
  flyway,
  goose,
  dbmate,
  plain,
];

export function layoutByName(name: LayoutName): Layout {
  const layout = LAYOUT_DESCRIPTORS.find((l) => l.name === name);
  if (!layout) throw new Error(`unknown layout ${name}`);
  return layout;
}
