/**
 * Where a recipe reads the schema it changes: the target database when one is given, else the embedded
 * shadow with every migration of the directory replayed on it (expand, then contract, in the tool's order),
 * as plan replays applied migrations.
 */
import { lintMigrations } from "../analysis/lint.js";
import type { Migration } from "../migrations/migration.js";
import type { PhaseWork } from "../plan/select.js";
import { replayOnShadow } from "../plan/shadow-run.js";
import { extensionsIn } from "../shadow/extensions.js";
import type { Shadow } from "../shadow/shadow.js";
import { initParser } from "../sql/parse.js";
import { buildSteps } from "../steps/steps.js";
import { startEmbeddedShadow } from "../trace/worker-client.js";
import type { CatalogReader } from "./catalog.js";

export interface OpenReader {
  reader: CatalogReader;
  pgVersion: number;
  close(): Promise<void>;
}

export async function databaseReader(url: string): Promise<OpenReader> {
  const { connect } = await import("../db/connect.js");
  const db = await connect(url, { max: 1, applicationName: "safemigrate new" });
  return {
    reader: {
      rows: async <T>(sql: string) => (await db.sql.unsafe(sql)) as unknown as T[],
      where: "the database",
    },
    pgVersion: db.major,
    close: () => db.close(),
  };
}

export interface ShadowReaderOptions {
  migrations: Migration[];
  dir: string;
  pgVersion: number;
  /** Opens the shadow instead of the embedded one (tests reuse one). */
  openShadow?: (extensions: string[]) => Promise<Shadow>;
  env?: Record<string, string | undefined>;
}

export async function shadowReader(options: ShadowReaderOptions): Promise<OpenReader> {
  await initParser();
  const { files } = lintMigrations(options.migrations, { pgVersion: options.pgVersion });
  const works: PhaseWork[] = files.flatMap((file) =>
    (["expand", "contract"] as const).map((phase) => ({
      file,
      phase,
      steps: buildSteps(file.file, { rewrite: true, phase, pgVersion: options.pgVersion }),
    })),
  );
  const extensions = extensionsIn(options.migrations);
  const shadow = options.openShadow
    ? await options.openShadow(extensions)
    : await startEmbeddedShadow(options.env).open(extensions);
  let failures: Awaited<ReturnType<typeof replayOnShadow>>;
  try {
    failures = await replayOnShadow(shadow, works);
  } catch (error) {
    await shadow.close();
    throw error;
  }
  // A step that did not replay (an extension the embedded shadow lacks) may be why a name is missing.
  const first = failures[0];
  const note = first
    ? ` (${failures.length} step(s) did not replay on the embedded shadow, first ${first.where}: ${first.message}; --database-url reads the real schema)`
    : "";
  return {
    reader: { rows: (sql) => shadow.rows(sql), where: `the migrations in ${options.dir}${note}` },
    pgVersion: options.pgVersion,
    close: () => shadow.close(),
  };
}
