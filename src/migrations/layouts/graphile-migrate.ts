/**
 * graphile-migrate: `committed/<NNNNNN>[-<slug>].sql` below the migrations folder, each opening with
 * `--! Previous:`, `--! Hash:` and `--! Message:` header lines, a blank line, then the body. The hashes chain
 * the files: each signs its body and the hash of the file before it, and graphile-migrate refuses a
 * directory whose chain is broken. `--! no-transaction` as the body's first line runs it outside a
 * transaction.
 */
import { createHash } from "node:crypto";
import type { Listing } from "../listing.js";
import type { DiscoveryNotice } from "../migration.js";
import type { UpPart } from "../sections.js";
import { compareText } from "../version-order.js";
import { type Candidate, claimedCount, type Layout } from "./layout.js";

/** graphile-migrate's `VALID_FILE_REGEX`: the number, and an optional `-<slug>` naming the message. */
const COMMITTED = /^(\d+)(?:-([-_a-zA-Z0-9]*))?\.sql$/;
// Headers start with a capital letter; body comments (`--! no-transaction`) with a lower-case one.
const HEADER = /^--! ([A-Z][a-zA-Z0-9_]*)(?::(.*))?$/;

interface Committed {
  headers: Map<string, string | null>;
  /** The body as graphile-migrate signs and runs it: trimmed, one line break at the end. */
  body: string;
  /** What graphile-migrate says of the file's header, when it refuses it. */
  invalid: string | null;
}

/** graphile-migrate's `parseMigrationText` for a committed file. */
function parseCommitted(text: string): Committed {
  const lines = text.split("\n");
  const headers = new Map<string, string | null>();
  let count = 0;
  let invalid: string | null = null;
  for (const line of lines) {
    const match = HEADER.exec(line);
    if (!match) break;
    count++;
    const key = match[1] as string;
    if (headers.has(key)) invalid ??= `header '${key}' is specified more than once`;
    headers.set(key, match[2]?.trim() || null);
  }
  if (lines[count] !== "") invalid ??= "there should be a blank line after the headers";
  return { headers, body: `${lines.slice(count).join("\n").trim()}\n`, invalid };
}

/** `--! no-transaction` as the first line of the body. */
const optsOut = (text: string) => /^--!\s*no-transaction\b/.test(parseCommitted(text).body);

/** graphile-migrate's `calculateHash`: sha1 of the previous hash and the body. */
function hashOf(body: string, previous: string | null): string {
  const signed = `${`${previous ?? ""}\n${body}`.trim()}\n`;
  return `sha1:${createHash("sha1").update(signed).digest("hex")}`;
}

/** The committed files: in `committed/` of the migrations folder, or the files of `committed/` itself. */
function committedFiles(listing: Listing): string[] {
  const inFolder = listing.subdirs.get("committed");
  const names = inFolder ?? listing.files;
  return names.filter((n) => COMMITTED.test(n)).map((n) => (inFolder ? `committed/${n}` : n));
}

/** The number and the slug of a committed file's name; null when it is not named like one. */
function committedName(path: string) {
  const match = COMMITTED.exec(path.slice(path.lastIndexOf("/") + 1));
  return match ? { version: match[1] as string, name: match[2] ?? "" } : null;
}

/** The committed files, named by their `--! Message:` where they have one. */
async function collect(listing: Listing): Promise<Candidate[]> {
  return Promise.all(
    committedFiles(listing).map(async (rel) => {
      const { version, name } = committedName(rel) as { version: string; name: string };
      const message = parseCommitted(await listing.read(rel)).headers.get("Message");
      return { version, name: message ?? name, rel };
    }),
  );
}

/** Why graphile-migrate would refuse each file, following the hash chain in its order. */
async function checkChain(listing: Listing, candidates: Candidate[]): Promise<DiscoveryNotice[]> {
  const notices: DiscoveryNotice[] = [];
  const refuse = (c: Candidate, why: string) =>
    notices.push({
      kind: "refused-by-tool",
      file: listing.display(c.rel),
      message: `graphile-migrate refuses it: ${why}`,
    });
  let previous: string | null = null;
  for (const c of candidates) {
    const text = await listing.read(c.rel);
    const { headers, body, invalid } = parseCommitted(text);
    const raw = headers.get("Previous");
    const hash = headers.get("Hash") ?? null;
    const expected = raw === "-" || raw === undefined || raw === null ? null : raw;
    // git with core.autocrlf turns them into CRLF files, whose headers graphile-migrate does not read.
    if (text.includes("\r\n"))
      refuse(c, "its line ends are CRLF (add `committed/*.sql -text` to .gitattributes)");
    else if (raw === undefined) refuse(c, "no --! Previous: header");
    else if (invalid) refuse(c, invalid);
    else if (!hash) refuse(c, "no --! Hash: header");
    else if (expected !== previous)
      refuse(c, `--! Previous: ${raw} is not the hash of the migration before it (${previous ?? "none"})`);
    else if (hashOf(body, expected) !== hash && !headers.has("AllowInvalidHash"))
      refuse(
        c,
        `--! Hash: does not match its text (edited after it was committed?), it is ${hashOf(body, expected)}`,
      );
    previous = hash;
  }
  return notices;
}

export const graphileMigrate: Layout = {
  name: "graphile-migrate",
  nameOf: committedName,
  pattern: "`committed/<NNNNNN>.sql` with a `--! Hash:` header",
  nested: true,
  // The migration being written (`current.sql` or `current/`), `--! include` fixtures and the SQL its
  // `afterReset` runs are not committed migrations.
  partner: (rel) =>
    rel === "current.sql" ||
    rel === "afterReset.sql" ||
    rel.startsWith("current/") ||
    rel.startsWith("fixtures/"),
  collect,
  claims: async (l, c) => parseCommitted(await l.read(c.rel)).headers.has("Hash"),
  score: (l) => claimedCount(graphileMigrate, l),
  // graphile-migrate sorts by `<number>.sql`.
  compare: (a, b) => compareText(`${a.version}.sql`, `${b.version}.sql`) || compareText(a.rel, b.rel),
  check: checkChain,
  up: (text): UpPart => ({ upText: text, noTransaction: optsOut(text), markers: null }),
  runsInTransaction: true,
  scaffold: {
    versions: "sequence",
    paths: (v, s) => ({ up: `committed/${v}-${s}.sql` }),
    downSection: "rollback",
    refuse: () =>
      "graphile-migrate signs each committed migration with a hash of its text: write the migration in current.sql and run graphile-migrate commit",
  },
};
