import { basename } from "node:path";
import { isDistinctlyPop, parsePop } from "../names.js";
import { compareText } from "../version-order.js";
import { type Candidate, type Layout, wholeFile } from "./layout.js";

export const pop: Layout = {
  name: "pop",
  nameOf: (path) => {
    const parsed = parsePop(basename(path));
    return parsed && { version: parsed.version, name: parsed.name, noTransaction: parsed.autocommit };
  },
  pattern: "`<version>_<name>[.postgres].up.sql`",
  // Down files and other dialects' files are not up migrations for Postgres; fizz up files are reported.
  partner: (rel) => {
    const p = parsePop(rel);
    return p !== null && (p.direction === "down" || (p.dialect !== "postgres" && p.dialect !== "all"));
  },
  async collect(listing) {
    // Per version, the Postgres file wins over the dialect-less one; fizz and other dialects are not run here.
    const best = new Map<string, Candidate & { dialect: string }>();
    for (const rel of listing.files) {
      const p = parsePop(rel);
      const runs =
        p?.direction === "up" && p.type === "sql" && (p.dialect === "postgres" || p.dialect === "all");
      if (!p || !runs) continue;
      const current = best.get(p.version);
      if (!current || (current.dialect === "all" && p.dialect === "postgres")) {
        best.set(p.version, {
          version: p.version,
          name: p.name,
          rel,
          noTransaction: p.autocommit,
          dialect: p.dialect,
        });
      }
    }
    return [...best.values()].map(({ dialect: _, ...candidate }) => candidate);
  },
  // `1_a.up.sql` fits pop's names too: only a dialect, autocommit or fizz says pop.
  claims: async (_, c) => {
    const parsed = parsePop(c.rel);
    return parsed !== null && isDistinctlyPop(parsed);
  },
  score: async (l) => {
    const files = l.files.flatMap((f) => parsePop(f) ?? []).filter((p) => p.direction === "up");
    return files.some(isDistinctlyPop) ? files.length : 0;
  },
  // pop compares versions as strings.
  compare: (a, b) => compareText(a.version, b.version) || compareText(a.name, b.name),
  up: wholeFile,
  runsInTransaction: true,
  scaffold: {
    versions: "timestamp",
    paths: (v, s) => ({ up: `${v}_${s}.up.sql`, down: `${v}_${s}.down.sql` }),
    downSection: null,
  },
  // The down file of the same dialect, else the dialect-less one.
  down: {
    files: (path) => [
      path.replace(/\.up\.sql$/, ".down.sql"),
      path.replace(/\.postgres(\.autocommit)?\.up\.sql$/, "$1.down.sql"),
    ],
  },
};
