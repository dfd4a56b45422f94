/** Which migration directory `init` configures: the one given, else the first common one that holds migrations. */
import { existsSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { UsageError } from "../../errors.js";
import { discoverMigrations, type LayoutName } from "../../migrations/index.js";
import { locateMigrationDirs, MIGRATION_DIR_CANDIDATES } from "../../migrations/locate.js";

export interface ChosenMigrations {
  /** Relative to the project root, `/`-separated. */
  dir: string;
  layout?: LayoutName;
  /** How the layout was chosen, for the config file's comment. */
  layoutSource?: string;
  /** Unset: the directory does not exist yet. */
  migrations?: number;
  /** Other common directories that hold migrations too. */
  others: string[];
}

function fromRoot(root: string, path: string): string {
  const rel = relative(root, path);
  return (rel === "" ? "." : isAbsolute(rel) ? path : rel).split(sep).join("/");
}

export function countLabel(n: number): string {
  return n === 1 ? "1 migration" : `${n} migrations`;
}

/** A directory given with --migrations (relative to the working directory, as the shell sees it). */
async function given(root: string, cwd: string, dir: string, layout?: LayoutName): Promise<ChosenMigrations> {
  const path = resolve(cwd, dir);
  const shown = fromRoot(root, path);
  if (!existsSync(path)) {
    return { dir: shown, ...(layout ? { layout, layoutSource: "given" } : {}), others: [] };
  }
  if (!statSync(path).isDirectory()) throw new UsageError(`init: --migrations: ${dir} is not a directory`);
  const set = await discoverMigrations(path, layout ? { layout } : {});
  return described(shown, set.layout, set.migrations.length, layout !== undefined, []);
}

function described(
  dir: string,
  layout: LayoutName,
  migrations: number,
  layoutGiven: boolean,
  others: string[],
): ChosenMigrations {
  // A directory without migrations says nothing about its layout: detect it once there are some.
  if (layoutGiven) return { dir, layout, layoutSource: "given", migrations, others };
  if (migrations === 0) return { dir, migrations, others };
  return { dir, layout, layoutSource: `detected from ${countLabel(migrations)}`, migrations, others };
}

/**
 * The migration directory of the project at `root`: `--migrations` if given, else the first of the common
 * directories that holds migrations, else the first that exists. None: a `UsageError` saying where it looked.
 */
export async function chooseMigrations(
  root: string,
  cwd: string,
  options: { migrations?: string; layout?: LayoutName },
): Promise<ChosenMigrations> {
  if (options.migrations !== undefined) return given(root, cwd, options.migrations, options.layout);
  const found = await locateMigrationDirs(root);
  const holding = found.filter((f) => f.migrations > 0);
  const chosen = holding[0] ?? found[0];
  if (!chosen) {
    throw new UsageError(
      `init: no migration directory found in ${fromRoot(cwd, root)} (looked for ${MIGRATION_DIR_CANDIDATES.join(", ")}); pass --migrations <dir>`,
    );
  }
  const others = holding.filter((f) => f !== chosen).map((f) => f.dir);
  if (options.layout) {
    const set = await discoverMigrations(resolve(root, chosen.dir), { layout: options.layout });
    return described(chosen.dir, options.layout, set.migrations.length, true, others);
  }
  return described(chosen.dir, chosen.layout, chosen.migrations, false, others);
}
