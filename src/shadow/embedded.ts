/**
 * The embedded shadow: PGlite (Postgres compiled to WASM). Most of a fresh PGlite's start-up is initdb; the
 * initialised data directory is therefore cached on disk after the first run and loaded from there
 * afterwards (measured: several times faster). A missing or unwritable cache only costs time.
 *
 * Built (dist/), PGlite runs in a worker thread (./shadow-worker.ts, started by ./shadow-thread.ts), so
 * that it boots on another core while the main thread lints the migrations; from the TypeScript sources
 * (tests) it runs in the calling thread.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { slimDataDir } from "./datadir.js";
import { loadEmbeddedExtensions } from "./extensions.js";
import { guarded, type Shadow } from "./shadow.js";

/** Where the initialised data directory is kept: SAFEMIGRATE_CACHE_DIR, else the XDG cache directory. */
function cacheDirectory(env: Record<string, string | undefined> = process.env): string {
  if (env.SAFEMIGRATE_CACHE_DIR) return env.SAFEMIGRATE_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "safemigrate");
}

async function pgliteVersion(): Promise<string> {
  const url = new URL("../package.json", import.meta.resolve("@electric-sql/pglite"));
  const text = await readFile(url, "utf8").catch(() => '{"version":"unknown"}');
  return (JSON.parse(text) as { version: string }).version;
}

async function cachedDataDir(path: string): Promise<Blob | null> {
  try {
    return new Blob([await readFile(path)]);
  } catch {
    return null;
  }
}

/**
 * Saves the freshly initialised data directory, slimmed (./datadir.ts). The WAL is first moved to a new
 * segment and checkpointed, so that the segment in use holds little more than the checkpoint. Written
 * atomically, so that a concurrent plan never loads half a file.
 */
async function saveDataDir(db: PGlite, path: string): Promise<void> {
  try {
    await db.exec("SET wal_recycle = off; SELECT pg_switch_wal(); CHECKPOINT");
    const [wal] = (await db.query<{ name: string }>("SELECT pg_walfile_name(pg_current_wal_lsn()) AS name"))
      .rows;
    const others = await db.query<{ oid: number }>(
      "SELECT oid::int AS oid FROM pg_database WHERE datname <> current_database()",
    );
    const dump = new Uint8Array(await (await db.dumpDataDir("none")).arrayBuffer());
    const slim = slimDataDir(dump, {
      dropDirectories: others.rows.map((r) => `base/${r.oid}`),
      walSegment: wal?.name ?? "",
    });
    await mkdir(join(path, ".."), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, slim);
    await rename(temporary, path);
  } catch {
    // A read-only home or a full disk: the next run runs initdb again.
  }
}

/**
 * The shadow holds a schema and no data, in one session, and nothing of it is kept. Postgres's defaults
 * for a server (128 MB of shared buffers, 100 connections) only cost start-up time zeroing shared memory
 * (measured: 1.25 s to 0.75 s for the whole start), and crash safety and statistics only cost time per
 * statement (measured: about 10% of the trace). None of these change which locks a statement takes or
 * whether it rewrites a table (test/plan/catalogue.test.ts runs on these settings).
 */
const SETTINGS = [
  "shared_buffers=16MB",
  "max_connections=10",
  "wal_buffers=1MB",
  "wal_level=minimal",
  "max_wal_senders=0",
  "synchronous_commit=off",
  "full_page_writes=off",
  "track_counts=off",
];

export interface EmbeddedOptions {
  /** Extension names the migrations create (see ./extensions.ts). */
  extensions: string[];
  env?: Record<string, string | undefined>;
}

interface Prefetched {
  cacheFile: string;
  cached: Blob | null;
}

const prefetched = new Map<string, Promise<Prefetched>>();

/**
 * Reads what starting PGlite needs before the extension list is known (the cached data directory), once
 * per cache directory: the worker does it while the migrations are still being read.
 */
export function prefetchEmbedded(env?: Record<string, string | undefined>): Promise<Prefetched> {
  const directory = cacheDirectory(env);
  let pending = prefetched.get(directory);
  if (!pending) {
    pending = pgliteVersion().then(async (version) => {
      const cacheFile = join(directory, `pglite-${version}-datadir-slim.tar`);
      return { cacheFile, cached: await cachedDataDir(cacheFile) };
    });
    prefetched.set(directory, pending);
  }
  return pending;
}

/** PGlite in this thread. */
export async function openEmbeddedShadowHere(options: EmbeddedOptions): Promise<Shadow> {
  const [extensions, { cacheFile, cached }] = await Promise.all([
    loadEmbeddedExtensions(options.extensions),
    prefetchEmbedded(options.env),
  ]);
  // A Blob is read once by PGlite: the next shadow of this process reads the file again.
  prefetched.delete(cacheDirectory(options.env));
  const db = await PGlite.create({
    extensions,
    // Nothing on the shadow needs to survive the process.
    relaxedDurability: true,
    postgresqlconf: SETTINGS,
    ...(cached ? { loadDataDir: cached } : {}),
  });
  if (!cached) await saveDataDir(db, cacheFile);
  const [row] = (await db.query<{ server_version: string }>("SHOW server_version")).rows;
  return {
    engine: "pglite",
    serverVersion: row?.server_version ?? "unknown",
    exec: (sql) => guarded(async () => (await db.exec(sql)).map((r) => r.rows)),
    rows: <T>(sql: string) => guarded(async () => (await db.query<T>(sql)).rows),
    close: () => db.close(),
  };
}
