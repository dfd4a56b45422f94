/** Discovery of a migration directory: layout detection, the owning tool's order, reading every file. */
import { stat } from "node:fs/promises";
import { LAYOUT_DESCRIPTORS, type Layout, layoutByName } from "./layouts/index.js";
import { cannotRead, type Listing, listDirectory } from "./listing.js";
import type { DiscoveryNotice, LayoutName, Migration, MigrationSet } from "./migration.js";
import { goMigration, readMigrationFile, readMigrationPath } from "./read-file.js";
import { duplicateVersions, noMigrations, unreadFiles } from "./unread.js";

export interface DiscoverOptions {
  /** Skip detection and read the directory as this layout. */
  layout?: LayoutName;
}

/**
 * The layout with the most files unmistakably its own (diesel `*\/up.sql`, prisma `*\/migration.sql`, pop
 * dialect or fizz files, golang-migrate `*.up.sql`, flyway `V*__*.sql`, goose or dbmate markers); on a tie
 * the more specific layout wins; `plain` when nothing matches.
 */
async function detect(listing: Listing): Promise<Layout> {
  let best: Layout | undefined;
  let bestScore = 0;
  for (const layout of LAYOUT_DESCRIPTORS) {
    const score = await layout.score(listing);
    if (score > bestScore) {
      best = layout;
      bestScore = score;
    }
  }
  return best ?? layoutByName("plain");
}

/** The layout of a migration directory as detected from the files it holds. */
export async function detectLayout(dir: string): Promise<LayoutName> {
  return (await detect(await listDirectory(dir))).name;
}

/**
 * The migrations of a directory (or of one file given alone), in the owning tool's order. The layout is
 * detected unless given. A directory without migrations gives an empty set; a path that cannot be read throws
 * a `UsageError` naming it. `notices` names what was not read (and a directory without migrations).
 */
export async function discoverMigrations(dir: string, options: DiscoverOptions = {}): Promise<MigrationSet> {
  const info = await stat(dir).catch((error: unknown) => {
    throw cannotRead(dir, error);
  });
  if (!info.isDirectory()) {
    const migration = await readMigrationPath(dir, options);
    return { source: dir, layout: migration.layout, migrations: [migration], notices: [] };
  }
  const listing = await listDirectory(dir);
  const layout = options.layout ? layoutByName(options.layout) : await detect(listing);
  const candidates = (await layout.collect(listing)).sort(layout.compare);
  // Read concurrently, built in order.
  const texts = await Promise.all(candidates.map((c) => listing.read(c.rel)));
  const migrations: Migration[] = [];
  const notices: DiscoveryNotice[] = await unreadFiles(listing, layout, candidates);
  notices.push(...((await layout.check?.(listing, candidates)) ?? []));
  for (const [index, candidate] of candidates.entries()) {
    const path = listing.display(candidate.rel);
    const text = texts[index] as string;
    if (candidate.go) {
      migrations.push(goMigration(path, text, candidate));
      notices.push({
        kind: "go-migration",
        file: path,
        message:
          "a goose Go migration: safemigrate cannot analyse or run Go; it is listed and recorded, and up stops before it while it is pending",
      });
      continue;
    }
    const migration = readMigrationFile(path, text, {
      layout: layout.name,
      noTransaction: candidate.noTransaction,
    });
    // The directory entry is authoritative for version and name (diesel and prisma name the directory).
    migration.version = candidate.version;
    migration.name = candidate.name;
    if (candidate.repeatable) migration.repeatable = true;
    migrations.push(migration);
  }
  notices.push(...duplicateVersions(migrations));
  if (migrations.length === 0) notices.push(noMigrations(listing, layout, notices.length));
  return { source: dir, layout: layout.name, migrations, notices };
}
