/**
 * sqitch: the project's `sqitch.plan` lists the changes in deploy order; each change's up part is
 * `deploy/<change>.sql`, its down part `revert/<change>.sql` (`verify/` is sqitch's, not read). A reworked
 * change appears again after a tag: the older occurrence's scripts are `deploy/<change>@<tag>.sql` (the first
 * tag after it), the newest's `deploy/<change>.sql`. sqitch hands each script to psql as it is, in no
 * transaction of its own: the template's `BEGIN;` ... `COMMIT;` make the script one.
 */
import { basename, dirname, join } from "node:path";
import type { Listing } from "../listing.js";
import type { DiscoveryNotice } from "../migration.js";
import { compareText } from "../version-order.js";
import { type Candidate, type Layout, wholeFile } from "./layout.js";

const SQITCH_PLAN = "sqitch.plan";

interface PlannedChange {
  /** As the history keys it: the change name; a reworked one's later occurrence `name@<tag before it>`. */
  version: string;
  name: string;
  /** The deploy script, relative to the project. */
  rel: string;
  /** The plan's line of the change, for messages. */
  line: number;
}

/**
 * The changes of a plan in deploy order. Pragmas (`%syntax-version`), comments and blank lines are skipped;
 * a tag line (`@v1.0 ...`) names the tag of the changes before it.
 */
export function parsePlan(text: string): PlannedChange[] {
  const entries: Array<{ name: string; line: number } | { tag: string }> = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith("%")) return;
    if (line.startsWith("@")) {
      entries.push({ tag: (line.slice(1).split(/\s/)[0] as string).trim() });
      return;
    }
    // `+name` / `-name`: the old plan syntax for deploy and revert; a name ends at a space or `[`.
    const name = /^[+-]?([^\s[]+)/.exec(line)?.[1];
    if (name) entries.push({ name, line: index + 1 });
  });
  const changes: PlannedChange[] = [];
  const seen = new Map<string, number>();
  let lastTag: string | null = null;
  entries.forEach((entry, at) => {
    if ("tag" in entry) {
      lastTag = entry.tag;
      return;
    }
    const { name } = entry;
    const occurrence = seen.get(name) ?? 0;
    seen.set(name, occurrence + 1);
    const reworkedLater = entries.slice(at + 1).some((e) => "name" in e && e.name === name);
    const tagAfter = entries.slice(at + 1).find((e): e is { tag: string } => "tag" in e)?.tag;
    const script = reworkedLater && tagAfter ? `${name}@${tagAfter}` : name;
    const version = occurrence === 0 || lastTag === null ? name : `${name}@${lastTag}`;
    changes.push({ version, name, rel: `deploy/${script}.sql`, line: entry.line });
  });
  return changes;
}

async function planOf(listing: Listing): Promise<PlannedChange[] | null> {
  return listing.has(SQITCH_PLAN) ? parsePlan(await listing.read(SQITCH_PLAN)) : null;
}

async function sqitchMigrations(listing: Listing): Promise<Candidate[]> {
  return ((await planOf(listing)) ?? []).flatMap((change, position) =>
    listing.has(change.rel)
      ? [{ version: change.version, name: change.name, rel: change.rel, position }]
      : [],
  );
}

/** What `sqitch deploy` stops at: a planned change without its deploy script. */
async function checkPlan(listing: Listing): Promise<DiscoveryNotice[]> {
  return ((await planOf(listing)) ?? [])
    .filter((change) => !listing.has(change.rel))
    .map((change) => ({
      kind: "refused-by-tool" as const,
      file: listing.display(change.rel),
      message: `${SQITCH_PLAN} line ${change.line} plans ${change.version}, but its deploy script is missing: sqitch deploy stops at it`,
    }));
}

const stemIn = (path: string, dir: string) =>
  basename(dirname(path)) === dir && path.endsWith(".sql") ? basename(path, ".sql") : null;

export const sqitch: Layout = {
  name: "sqitch",
  nameOf: (path) => {
    const stem = stemIn(path, "deploy");
    return stem ? { version: stem, name: stem.replace(/@.*$/, "") } : null;
  },
  pattern: "`deploy/<change>.sql` and planned in `sqitch.plan`",
  unlisted: "and sqitch.plan does not plan this change: sqitch never deploys it",
  // The revert and verify scripts are sqitch's too.
  partner: (rel) => /^(revert|verify)\/[^/]+\.sql$/.test(rel),
  nested: true,
  collect: sqitchMigrations,
  score: async (l) => (l.has(SQITCH_PLAN) ? (await sqitchMigrations(l)).length + 1 : 0),
  compare: (a, b) => (a.position ?? 0) - (b.position ?? 0) || compareText(a.rel, b.rel),
  check: checkPlan,
  up: wholeFile,
  // sqitch wraps nothing: a script's transaction is its own BEGIN/COMMIT (what lint checks as such).
  runsInTransaction: false,
  down: { files: (path) => [join(dirname(dirname(path)), "revert", basename(path))] },
  scaffold: {
    versions: "sequence",
    paths: (_v, s) => ({ up: `deploy/${s}.sql`, down: `revert/${s}.sql` }),
    downSection: null,
    refuse: () =>
      "sqitch add <name> plans the change in sqitch.plan with its deploy, revert and verify scripts: run it, then write the SQL",
  },
};
