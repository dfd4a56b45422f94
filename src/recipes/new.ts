/**
 * `safemigrate new`: the next migration of a directory, named and numbered as its tool does, empty or
 * written by a recipe. Nothing is written when a name is unknown or a file exists already.
 */
import { access, mkdir, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { UsageError } from "../errors.js";
import { discoverMigrations } from "../migrations/discover.js";
import { layoutByName } from "../migrations/layouts/index.js";
import { displayPath } from "../migrations/listing.js";
import { type LayoutName, type Migration, sqlMigrations } from "../migrations/migration.js";
import { migrationSlug, nextVersion } from "../migrations/names.js";
import { EMPTY_PARTS, type MigrationParts, scaffoldFiles } from "../migrations/scaffold.js";
import type { Shadow } from "../shadow/shadow.js";
import { initParser } from "../sql/parse.js";
import { addColumn } from "./add-column.js";
import { changeType } from "./change-type.js";
import { databaseReader, type OpenReader, shadowReader } from "./reader.js";
import type { RecipeContext, RecipeRequest } from "./recipe.js";
import { renameColumn } from "./rename-column.js";
import { renameTable } from "./rename-table.js";
import { setNotNull } from "./set-not-null.js";

export interface NewOptions {
  name: string;
  dir: string;
  /** The layout of an empty directory (a directory with migrations keeps its own unless this is given). */
  layout?: LayoutName;
  recipe?: RecipeRequest;
  /** Names are checked here; else against the directory replayed on the embedded shadow. */
  databaseUrl?: string;
  /** The Postgres major the SQL is written for without a database (default 14). */
  pgVersion?: number;
  now?: Date;
  openShadow?: (extensions: string[]) => Promise<Shadow>;
  env?: Record<string, string | undefined>;
}

export interface NewResult {
  layout: LayoutName;
  version: string;
  /** The files written, as shown to the user. */
  files: string[];
}

/** Whether `path` is a directory; false when nothing is there yet; a usage error for a file. */
async function isDirectory(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  if (info && !info.isDirectory()) throw new UsageError(`new: ${path} is not a directory`);
  return info !== null;
}

function recipeParts(request: RecipeRequest, context: RecipeContext): Promise<MigrationParts> {
  switch (request.kind) {
    case "rename-column":
      return renameColumn(request, context);
    case "change-type":
      return changeType(request, context);
    case "add-column":
      return addColumn(request, context);
    case "set-not-null":
      return setNotNull(request, context);
    case "rename-table":
      return renameTable(request, context);
  }
}

export async function newMigration(options: NewOptions): Promise<NewResult> {
  // Names, types and expressions are checked with the parser.
  await initParser();
  const exists = await isDirectory(options.dir);
  const set = exists
    ? await discoverMigrations(options.dir, options.layout ? { layout: options.layout } : {})
    : null;
  const migrations: Migration[] = set?.migrations ?? [];
  const layout = layoutByName(migrations.length > 0 ? (set?.layout ?? "plain") : (options.layout ?? "plain"));
  const refused = layout.scaffold.refuse?.(migrations);
  if (refused) throw new UsageError(`new: ${refused}`);
  let slug = migrationSlug(options.name);
  if (layout.scaffold.lowerCase) slug = slug.toLowerCase();
  if (!slug)
    throw new UsageError(`new: '${options.name}' leaves no name for the file (use letters or digits)`);
  const last = migrations.filter((m) => !m.repeatable).at(-1)?.version ?? null;
  const now = options.now ?? new Date();
  const version = nextVersion(last, layout.scaffold.versions, now);
  let parts = EMPTY_PARTS;
  if (options.recipe) {
    const pgVersion = options.pgVersion ?? 14;
    let open: OpenReader | null = null;
    try {
      open = options.databaseUrl
        ? await databaseReader(options.databaseUrl)
        : await shadowReader({
            migrations: sqlMigrations(migrations),
            dir: options.dir,
            pgVersion,
            ...(options.openShadow ? { openShadow: options.openShadow } : {}),
            ...(options.env ? { env: options.env } : {}),
          });
      parts = await recipeParts(options.recipe, { reader: open.reader, pgVersion: open.pgVersion });
    } finally {
      await open?.close();
    }
  }
  const files = scaffoldFiles(layout, version, slug, parts);
  for (const file of files) {
    const path = join(options.dir, file.rel);
    if (
      await access(path).then(
        () => true,
        () => false,
      )
    )
      throw new UsageError(`new: ${displayPath(options.dir, file.rel)} exists already; nothing was written`);
  }
  // The tool's manifest (drizzle's journal) names the new file, as the tool's generator would; first, so
  // that a manifest it cannot update leaves nothing written.
  const [upFile] = files;
  const recorded =
    layout.scaffold.record && upFile
      ? await layout.scaffold.record(options.dir, { rel: upFile.rel, version, now, text: upFile.text })
      : [];
  for (const file of files) {
    const path = join(options.dir, file.rel);
    await mkdir(dirname(path), { recursive: true });
    // `wx`: never overwrite, even a file that appeared since the check.
    await writeFile(path, file.text, { flag: "wx" });
  }
  const written = [...files.map((f) => f.rel), ...recorded];
  return { layout: layout.name, version, files: written.map((rel) => displayPath(options.dir, rel)) };
}
