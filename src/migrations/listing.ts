/** File-system access for discovery: one directory level (plus one level of subdirectories), read once. */
import type { Dirent } from "node:fs";
import { readFileSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { isAbsolute, join, normalize, relative, sep } from "node:path";
import { UsageError } from "../errors.js";

export interface Listing {
  /** The directory as given. */
  dir: string;
  /** Names of the regular files directly in `dir`. */
  files: string[];
  /** Subdirectory name -> names of the regular files in it. */
  subdirs: Map<string, string[]>;
  /** Text of a file, by its path relative to `dir` (`a.sql` or `sub/up.sql`); cached. */
  read(rel: string): Promise<string>;
  /** Whether a file relative to `dir` exists in the listing. */
  has(rel: string): boolean;
  /** The path to show for a file relative to `dir`. */
  display(rel: string): string;
}

const REASONS: Record<string, string> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOTDIR: "not a directory",
  EISDIR: "is a directory",
  ELOOP: "too many symbolic links",
  EMFILE: "too many open files",
};

/** A one-line `UsageError` for a failed file-system call on `path`. */
export function cannotRead(path: string, error: unknown): UsageError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    (code && REASONS[code]) ??
    (error instanceof Error ? error.message.split("\n")[0]?.replace(/^\w+: /, "") : String(error));
  return new UsageError(`cannot read ${path}: ${reason}`);
}

/**
 * Reads a file as UTF-8, turning any failure into a `UsageError` that names `path`. Read synchronously:
 * migration files are small, and for a history of thousands of them the asynchronous open/stat/read/close
 * round trips through the thread pool cost more than the reads (the main thread has nothing else to do).
 */
export async function readText(path: string, display = path): Promise<string> {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw cannotRead(display, error);
  }
}

/** `path` for display: relative to the working directory when it is absolute and below it, else as given. */
export function displayFile(path: string): string {
  if (!isAbsolute(path)) return normalize(path);
  const fromCwd = relative(process.cwd(), path);
  return fromCwd && fromCwd !== ".." && !fromCwd.startsWith(`..${sep}`) && !isAbsolute(fromCwd)
    ? fromCwd
    : path;
}

/** The path to show for `rel` inside `dir` (in the user's spelling when `dir` is relative). */
export function displayPath(dir: string, rel: string): string {
  return displayFile(join(dir, rel));
}

async function entries(path: string, display: string) {
  try {
    return await readdir(path, { withFileTypes: true });
  } catch (error) {
    throw cannotRead(display, error);
  }
}

/** "file", "dir" or null (anything else, or a dangling symbolic link), following symbolic links. */
async function kind(entry: Dirent, path: string): Promise<"file" | "dir" | null> {
  if (entry.isFile()) return "file";
  if (entry.isDirectory()) return "dir";
  if (!entry.isSymbolicLink()) return null;
  const target = await stat(path).catch(() => null);
  return target?.isFile() ? "file" : target?.isDirectory() ? "dir" : null;
}

/** The visible entries of `dir` with their kind, in directory order (looked at concurrently). */
async function visibleEntries(dir: string, display: string) {
  const visible = (await entries(dir, display)).filter((e) => !e.name.startsWith("."));
  const kinds = await Promise.all(visible.map((e) => kind(e, join(dir, e.name))));
  return visible.map((e, i) => ({ name: e.name, kind: kinds[i] }));
}

async function fileNames(dir: string, display: string): Promise<string[]> {
  return (await visibleEntries(dir, display)).filter((e) => e.kind === "file").map((e) => e.name);
}

/**
 * Lists `dir` and the files of each of its subdirectories. Hidden entries (`.x`) are skipped. The
 * subdirectories are listed concurrently: a history of hundreds of migration directories is read in
 * parallel rather than one directory after another.
 */
export async function listDirectory(dir: string): Promise<Listing> {
  const top = await visibleEntries(dir, dir);
  const files = top.filter((e) => e.kind === "file").map((e) => e.name);
  const dirs = top.filter((e) => e.kind === "dir").map((e) => e.name);
  const listed = await Promise.all(dirs.map((d) => fileNames(join(dir, d), displayPath(dir, d))));
  const subdirs = new Map(dirs.map((d, i) => [d, listed[i] as string[]]));
  const cache = new Map<string, Promise<string>>();
  const known = new Set([...files, ...[...subdirs].flatMap(([d, names]) => names.map((n) => `${d}/${n}`))]);
  return {
    dir,
    files,
    subdirs,
    has: (rel) => known.has(rel),
    display: (rel) => displayPath(dir, rel),
    read(rel) {
      let text = cache.get(rel);
      if (!text) {
        text = readText(join(dir, rel), displayPath(dir, rel));
        cache.set(rel, text);
      }
      return text;
    },
  };
}
