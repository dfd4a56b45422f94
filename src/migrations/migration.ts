import { UsageError } from "../errors.js";

/** Migration directory layouts safemigrate reads (see docs/layouts.md). */
export const LAYOUTS = [
  "plain",
  "flyway",
  "golang-migrate",
  "goose",
  "dbmate",
  "diesel",
  "prisma",
  "pop",
  "drizzle-kit",
  "node-pg-migrate",
  "graphile-migrate",
  "atlas",
  "sqitch",
] as const;
export type LayoutName = (typeof LAYOUTS)[number];

/** One migration file as read from disk (or stdin). */
export interface MigrationFile {
  /** Path for display: relative to the working directory when possible. */
  path: string;
  /** The original text of the file. */
  text: string;
  /**
   * The "up" part of the file: the same length as `text`, with everything outside the up part
   * (down sections, tool markers' other sections) blanked to spaces, newlines kept, so that every
   * offset, line and column is that of the original file.
   */
  upText: string;
  /** The owning tool runs the file inside one transaction (diesel, goose, dbmate, flyway, pop by default). */
  runsInTransaction: boolean;
  /** The file opts out of a transaction in its tool's own way (diesel metadata.toml, goose/dbmate markers, pop autocommit). */
  noTransaction: boolean;
  /**
   * The file's `-- safemigrate:rollback` sections, same geometry as `text` (everything else blanked); absent
   * when it has none. Never part of `upText` (docs/rollback.md).
   */
  rollbackText?: string;
  /**
   * This is a migration's down part, read for `rollback`: `upText` holds the down SQL and every statement in
   * it is in the rollback phase.
   */
  rollback?: boolean;
}

export interface Migration {
  /** The version as the owning tool spells it (e.g. `20170309122510`, `2017-09-23-182408`, `1.2`). */
  version: string;
  name: string;
  layout: LayoutName;
  file: MigrationFile;
  /** sha256 (hex) of the up part, for drift detection. */
  checksum: string;
  /** Flyway repeatable migrations (R__) run after the versioned ones. */
  repeatable?: boolean;
  /** A goose Go migration (`<version>_<name>.go`): no SQL to analyse or run; its checksum is of the Go source. */
  go?: boolean;
}

/**
 * Something discovery did not read, or read but cannot analyse, reported as a warning so that no migration
 * is skipped in silence (docs/layouts.md, "Files not read").
 */
export interface DiscoveryNotice {
  /**
   * `no-migrations`: a directory without any migration; `unread-file`: a file its layout does not read;
   * `go-migration`: a goose Go migration; `duplicate-version`: a migration whose version an earlier one has;
   * `refused-by-tool`: what the owning tool would refuse to run (a drizzle journal entry without its file, a
   * graphile-migrate hash that does not match).
   */
  kind: "no-migrations" | "unread-file" | "go-migration" | "duplicate-version" | "refused-by-tool";
  /** The directory (`no-migrations`) or the file, as shown in reports. */
  file: string;
  message: string;
}

export interface MigrationSet {
  /** The directory, or the file given alone. */
  source: string;
  layout: LayoutName;
  /** In the owning tool's order. */
  migrations: Migration[];
  /** In directory listing order: the files not read, then a directory without migrations. */
  notices: DiscoveryNotice[];
}

/** The migrations up to and including `to` (all when not given); an unknown version is a usage error. */
export function selectUpTo(migrations: Migration[], to: string | undefined): Migration[] {
  if (to === undefined) return migrations;
  const index = migrations.findIndex((m) => m.version === to);
  if (index === -1) throw new UsageError(`--to ${to}: no migration with that version`);
  return migrations.slice(0, index + 1);
}

/** The migrations with SQL: goose Go migrations have none to lint, plan or run. */
export function sqlMigrations(migrations: Migration[]): Migration[] {
  return migrations.filter((m) => !m.go);
}
