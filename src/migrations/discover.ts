/** Discovery of a migration directory: layout detection, the owning tool's order, reading every file. */
import { stat } from "node:fs/promises";
import { LAYOUT_DESCRIPTORS, type Layout, layoutByName } from "./layouts.js";
import { cannotRead, type Listing, listDirectory } from "./listing.js";
import type { LayoutName, MigrationSet } from "./model.js";
import { readMigrationFile, readMigrationPath } from "./read-file.js";

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
 * a `UsageError` naming it.
 */
export async function discoverMigrations(dir: string, options: DiscoverOptions = {}): Promise<MigrationSet> {
  const info = await stat(dir).catch((error: unknown) => {
    throw cannotRead(dir, error);
  });
  if (!info.isDirectory()) {
    const migration = await readMigrationPath(dir, options);
    return { source: dir, layout: migration.layout, migrations: [migration] };
  }
  const listing = await listDirectory(dir);
  const layout = options.layout ? layoutByName(options.layout) : await detect(listing);
  const candidates = (await layout.collect(listing)).sort(layout.compare);
  // Read concurrently, built in order.
  const texts = await Promise.all(candidates.map((c) => listing.read(c.rel)));
  const migrations = [];
  for (const [index, candidate] of candidates.entries()) {
    const migration = readMigrationFile(listing.display(candidate.rel), texts[index] as string, {
      layout: layout.name,
      noTransaction: candidate.noTransaction,
    });
    // The directory entry is authoritative for version and name (diesel and prisma name the directory).
    migration.version = candidate.version;
    migration.name = candidate.name;
    if (candidate.repeatable) migration.repeatable = true;
    migrations.push(migration);
  }
  return { source: dir, layout: layout.name, migrations };
}
