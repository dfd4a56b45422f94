/**
 * Atlas versioned migrations: `<version>_<name>.sql` files beside `atlas.sum`, the directory's integrity file.
 * Atlas runs the files in name order (the order the sum lists them), each in a transaction of its own
 * (`--tx-mode file`) unless its header has `-- atlas:txmode none`, and refuses a directory whose files do not
 * match the sum (edited or added since `atlas migrate hash`). It has no down files.
 */
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Listing } from "../listing.js";
import type { DiscoveryNotice } from "../migration.js";
import { compareText } from "../version-order.js";
import { type Candidate, type Layout, wholeFile } from "./layout.js";

const ATLAS_SUM = "atlas.sum";

/** Version and name as Atlas reads them: the name up to the first `_` is the version, the rest the name. */
function atlasName(file: string): { version: string; name: string } | null {
  if (!file.endsWith(".sql") || file.includes("/")) return null;
  const stem = file.slice(0, -".sql".length);
  const at = stem.indexOf("_");
  const version = at < 0 ? stem : stem.slice(0, at);
  return version ? { version, name: at < 0 ? "" : stem.slice(at + 1) } : null;
}

/** The header comments of a file, as Atlas reads its directives: comment lines, then an empty line. */
function headerComments(text: string): string[] {
  const comments: string[] = [];
  let rest = text;
  while (rest.startsWith("#") || rest.startsWith("--")) {
    const end = rest.indexOf("\n");
    if (end < 0) return [...comments, rest];
    comments.push(rest.slice(0, end).trim());
    rest = rest.slice(end + 1);
  }
  // Comments not set apart from the first statement by an empty line belong to it, not to the file.
  return rest.startsWith("\n") || rest.startsWith("\r\n") ? comments : [];
}

const directive = (text: string, name: string) =>
  headerComments(text).flatMap((c) => {
    const match = /^[ -~]*atlas:(\w+)(?: +([ -~]*))?/.exec(c);
    return match?.[1] === name ? [(match[2] ?? "").trim()] : [];
  });

/** `-- atlas:txmode none` in the file's header: Atlas runs it outside a transaction. */
function upOf(text: string) {
  return { ...wholeFile(text), noTransaction: directive(text, "txmode").includes("none") };
}

interface SumFile {
  total: string;
  files: Array<{ name: string; hash: string }>;
}

function parseSum(text: string): SumFile | null {
  const [first, ...rest] = text.split("\n").filter((l) => l.trim() !== "");
  if (!first?.startsWith("h1:")) return null;
  const files: SumFile["files"] = [];
  for (const line of rest) {
    const at = line.indexOf("h1:");
    if (at < 0) return null;
    files.push({ name: line.slice(0, at).trim(), hash: line.slice(at + 3).trim() });
  }
  return { total: first.slice(3).trim(), files };
}

/**
 * Atlas's sum of files in name order: each file's hash is a SHA-256 over the names and contents of it and
 * every file before it (a file with `atlas:sum ignore` adds only its name and gets no line), and the total
 * one over each listed name and hash.
 */
export function atlasSum(files: Array<{ name: string; bytes: Buffer }>): SumFile {
  const running = createHash("sha256");
  const lines: SumFile["files"] = [];
  for (const file of files) {
    running.update(file.name);
    if (directive(file.bytes.toString("utf8"), "sum").includes("ignore")) continue;
    running.update(file.bytes);
    lines.push({ name: file.name, hash: running.copy().digest("base64") });
  }
  const total = createHash("sha256");
  for (const line of lines) total.update(line.name).update(line.hash);
  return { total: total.digest("base64"), files: lines };
}

/** The text of atlas.sum, as Atlas writes it. */
export const sumText = (sum: SumFile) =>
  `h1:${sum.total}\n${sum.files.map((f) => `${f.name} h1:${f.hash}\n`).join("")}`;

async function sumOf(listing: Listing): Promise<SumFile | null> {
  return listing.has(ATLAS_SUM) ? parseSum(await listing.read(ATLAS_SUM)) : null;
}

/** The files the sum names, in its order, read leniently (a damaged sum still says whose directory it is). */
async function listedNames(listing: Listing): Promise<string[]> {
  if (!listing.has(ATLAS_SUM)) return [];
  const lines = (await listing.read(ATLAS_SUM)).split("\n").slice(1);
  return lines.flatMap((line) => {
    const at = line.indexOf(" h1:");
    return at > 0 ? [line.slice(0, at).trim()] : [];
  });
}

/** The directory's `.sql` files the sum lists, in its order. */
async function atlasMigrations(listing: Listing): Promise<Candidate[]> {
  const positions = new Map((await listedNames(listing)).map((name, i) => [name, i]));
  return listing.files
    .filter((rel) => positions.has(rel) && atlasName(rel))
    .map((rel) => ({
      ...(atlasName(rel) as { version: string; name: string }),
      rel,
      position: positions.get(rel),
    }));
}

/** What `atlas migrate apply` refuses: a sum that is not one, or that the files no longer match. */
async function checkSum(listing: Listing): Promise<DiscoveryNotice[]> {
  const shown = listing.display(ATLAS_SUM);
  const sum = await sumOf(listing);
  const refused = (message: string): DiscoveryNotice[] => [{ kind: "refused-by-tool", file: shown, message }];
  if (!sum)
    return refused("not an Atlas sum file (no h1: line first): atlas migrate apply refuses the directory");
  const names = listing.files.filter((f) => f.endsWith(".sql")).sort(compareText);
  const actual = atlasSum(
    await Promise.all(
      names.map(async (name) => ({ name, bytes: Buffer.from(await listing.read(name), "utf8") })),
    ),
  );
  const notices: DiscoveryNotice[] = [];
  const listed = new Map(sum.files.map((f) => [f.name, f.hash]));
  const computed = new Map(actual.files.map((f) => [f.name, f.hash]));
  const changed = names.filter((n) => listed.has(n) && computed.has(n) && listed.get(n) !== computed.get(n));
  const missing = sum.files.filter((f) => !listing.has(f.name)).map((f) => f.name);
  for (const name of missing)
    notices.push(
      ...refused(`lists ${name}, but the file is missing: atlas migrate apply refuses the directory`),
    );
  if (changed.length > 0 || actual.total !== sum.total) {
    const what = changed.length > 0 ? ` (first differing: ${changed[0]})` : "";
    notices.push(
      ...refused(
        `does not match the migration files${what}: atlas migrate apply refuses the directory until atlas migrate hash`,
      ),
    );
  }
  return notices;
}

/** `new`: atlas.sum recomputed with the new file, as `atlas migrate hash` would, before the file is written. */
async function rehash(dir: string, written: { rel: string; text: string }): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(".sql") && n !== written.rel);
  const files = await Promise.all(
    names.map(async (name) => ({ name, bytes: await readFile(join(dir, name)) })),
  );
  files.push({ name: written.rel, bytes: Buffer.from(written.text, "utf8") });
  files.sort((a, b) => compareText(a.name, b.name));
  await writeFile(join(dir, ATLAS_SUM), sumText(atlasSum(files)));
  return [ATLAS_SUM];
}

export const atlas: Layout = {
  name: "atlas",
  nameOf: (path) => atlasName(basename(path)),
  pattern: "`<version>_<name>.sql` and listed in `atlas.sum`",
  unlisted:
    "and atlas.sum does not list this file: atlas migrate apply refuses the directory until atlas migrate hash",
  collect: atlasMigrations,
  // An atlas.sum listing the files says Atlas, whatever else their names look like.
  score: async (l) => {
    const found = (await atlasMigrations(l)).length;
    return found > 0 ? found + 1 : 0;
  },
  compare: (a, b) => (a.position ?? 0) - (b.position ?? 0) || compareText(a.rel, b.rel),
  check: checkSum,
  up: upOf,
  runsInTransaction: true,
  scaffold: {
    versions: "timestamp",
    paths: (v, s) => ({ up: `${v}_${s}.sql` }),
    downSection: "rollback",
    record: rehash,
  },
};
