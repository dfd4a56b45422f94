/**
 * Files of a migration directory that the detected (or given) layout does not read, each with the reason, so
 * that no migration is skipped in silence. Only files that look like migrations are considered: `.sql` and
 * `.fizz` files and goose `<version>_<name>.go` files; anything else (README, .gitkeep, config and sidecar
 * files, Go code that is not a migration) is never reported. Files the owning tool reads for another purpose
 * (down parts, other dialects) are not reported either.
 */
import { UsageError } from "../errors.js";
import { type Candidate, claimedBy, LAYOUT_DESCRIPTORS, type Layout } from "./layouts/index.js";
import type { Listing } from "./listing.js";
import type { DiscoveryNotice, Migration } from "./migration.js";
import { parseGooseGo } from "./names.js";

/** Every file of the listing by its path relative to the directory, in listing order. */
function allFiles(listing: Listing): string[] {
  return [
    ...listing.files,
    ...[...listing.subdirs].flatMap(([dir, names]) => names.map((n) => `${dir}/${n}`)),
  ];
}

function looksLikeMigration(rel: string): boolean {
  const file = rel.slice(rel.lastIndexOf("/") + 1);
  return /\.(sql|fizz)$/i.test(file) || parseGooseGo(file) !== null;
}

/** Each layout's candidates in one listing, collected once however many files are unread. */
type Collected = (layout: Layout) => Promise<Candidate[]>;

function collector(listing: Listing): Collected {
  const cache = new Map<Layout, Promise<Candidate[]>>();
  return (layout) => {
    let candidates = cache.get(layout);
    if (!candidates) {
      candidates = layout.collect(listing);
      cache.set(layout, candidates);
    }
    return candidates;
  };
}

/** The first other layout that would read `rel` and that the file says it belongs to, as detection reads it. */
async function readBy(
  listing: Listing,
  collected: Collected,
  winner: Layout,
  rel: string,
): Promise<Layout | null> {
  for (const layout of LAYOUT_DESCRIPTORS) {
    if (layout === winner) continue;
    const candidates = await collected(layout);
    const candidate = candidates.find((c) => c.rel === rel);
    if (candidate && (await claimedBy(layout, listing, candidate))) return layout;
  }
  return null;
}

async function reason(listing: Listing, collected: Collected, winner: Layout, rel: string): Promise<string> {
  const where = `the directory is ${winner.name} layout`;
  if (/\.fizz$/i.test(rel)) return "a fizz migration (safemigrate reads SQL only)";
  const unreadable = winner.unreadable?.(rel);
  if (unreadable) return unreadable;
  if (winner.unlisted && winner.nameOf(rel)) return `${where}, ${winner.unlisted}`;
  const other = await readBy(listing, collected, winner, rel);
  if (other) {
    const like = parseGooseGo(rel.slice(rel.lastIndexOf("/") + 1)) ? "a goose Go migration" : other.name;
    return `${where}, this file is named like ${like}`;
  }
  const nested = rel.includes("/");
  if (nested && !winner.nested) return `${where}, whose migrations are files directly in the directory`;
  return `${where}, whose migration files are named ${winner.pattern}`;
}

/** The files of `listing` that look like migrations but that `layout` does not read, with the reason. */
export async function unreadFiles(
  listing: Listing,
  layout: Layout,
  candidates: Candidate[],
): Promise<DiscoveryNotice[]> {
  const read = new Set(candidates.map((c) => c.rel));
  const unread = allFiles(listing).filter(
    (rel) =>
      (looksLikeMigration(rel) || Boolean(layout.unreadable?.(rel))) &&
      !read.has(rel) &&
      !layout.partner?.(rel),
  );
  const collected = collector(listing);
  return Promise.all(
    unread.map(async (rel) => ({
      kind: "unread-file" as const,
      file: listing.display(rel),
      message: `not read: ${await reason(listing, collected, layout, rel)}`,
    })),
  );
}

/** The warning for a directory from which nothing was read. */
export function noMigrations(listing: Listing, layout: Layout, unread: number): DiscoveryNotice {
  const files = unread === 1 ? "1 file looks" : `${unread} files look`;
  const message =
    unread === 0
      ? "no migrations: the directory holds no migration files"
      : `no migrations read: ${files} like a migration but not like a ${layout.name} one (reported above)`;
  return { kind: "no-migrations", file: listing.display("."), message };
}

/**
 * `--strict`: the first notice of a file not read, or of a directory without migrations, as a `UsageError`
 * (exit 2). Go migrations are not skipped (they are listed and `up` stops before them), so they pass.
 */
export function refuseUnread(notices: DiscoveryNotice[]): void {
  const skipped = notices.filter((n) => n.kind !== "go-migration");
  const [first] = skipped;
  if (!first) return;
  const more = skipped.length > 1 ? ` (and ${skipped.length - 1} more)` : "";
  throw new UsageError(`${first.file}: ${first.message}${more} (--strict)`);
}

/**
 * Migrations whose version an earlier one in the directory already has (`1_a.sql` and `1_b.sql`, or
 * `0001-a.sql` and `0001_b.sql`). The history keeps one record per version, so only one of them could ever run.
 */
export function duplicateVersions(migrations: Migration[]): DiscoveryNotice[] {
  const first = new Map<string, Migration>();
  const notices: DiscoveryNotice[] = [];
  for (const m of migrations) {
    const earlier = first.get(m.version);
    if (!earlier) {
      first.set(m.version, m);
      continue;
    }
    notices.push({
      kind: "duplicate-version",
      file: m.file.path,
      message: `version ${m.version} is also that of ${earlier.file.path}: the history keeps one record per version, so only one of them could run`,
    });
  }
  return notices;
}

/** The runner cannot apply a directory with two migrations of one version (a `UsageError`, exit 2). */
export function refuseDuplicates(notices: DiscoveryNotice[]): void {
  const duplicate = notices.find((n) => n.kind === "duplicate-version");
  if (duplicate) throw new UsageError(`${duplicate.file}: ${duplicate.message}`);
}
