/** Where a project keeps its migrations: the directories the common migration tools use by default. */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { discoverMigrations } from "./discover.js";
import type { LayoutName } from "./migration.js";

/**
 * Relative to the project root, most common first: the first one that holds migrations is the project's.
 * `migrations` (diesel, golang-migrate, goose, pop, node-pg-migrate, sqlx, ...), `db/migrations` (dbmate,
 * goose), the ORMs' own (prisma, drizzle-kit, supabase), and flyway's `db/migration` (Maven and Gradle
 * projects keep it under `src/main/resources`).
 */
export const MIGRATION_DIR_CANDIDATES: readonly string[] = [
  "migrations",
  "db/migrations",
  "prisma/migrations",
  "drizzle",
  "supabase/migrations",
  "database/migrations",
  "sql/migrations",
  "src/migrations",
  "src/db/migrations",
  "internal/db/migrations",
  "db/migration",
  "src/main/resources/db/migration",
];

export interface LocatedMigrations {
  /** Relative to the project root, `/`-separated. */
  dir: string;
  /** As detected from the files. */
  layout: LayoutName;
  migrations: number;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}

/**
 * The candidate directories of `root` that exist, in candidate order, each with its detected layout and
 * number of migrations. A directory that cannot be read is left out: it is not the project's.
 */
export async function locateMigrationDirs(root: string): Promise<LocatedMigrations[]> {
  const found: LocatedMigrations[] = [];
  for (const dir of MIGRATION_DIR_CANDIDATES) {
    const path = join(root, dir);
    if (!(await isDirectory(path))) continue;
    try {
      const set = await discoverMigrations(path);
      found.push({ dir, layout: set.layout, migrations: set.migrations.length });
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
    }
  }
  return found;
}
