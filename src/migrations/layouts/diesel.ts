import { basename, dirname, join } from "node:path";
import { parseDirectory } from "../names.js";
import { compareDieselVersions } from "../version-order.js";
import { directoriesWith, type Layout, ordered, type Sidecar, sidecarOptsOut, wholeFile } from "./layout.js";

const DIESEL_METADATA: Sidecar = {
  pathFor: (migration) => migration.replace(/up\.sql$/, "metadata.toml"),
  optsOut: /^\s*run_in_transaction\s*=\s*false\b/m,
  optOut: "run_in_transaction = false\n",
};

export const diesel: Layout = {
  name: "diesel",
  nameOf: (path) => (basename(path) === "up.sql" ? parseDirectory(basename(dirname(path))) : null),
  pattern: "`<version>_<name>/up.sql`",
  nested: true,
  partner: (rel) => /^[^/]+\/down\.sql$/.test(rel),
  async collect(listing) {
    const candidates = directoriesWith(listing, "up.sql");
    const optOuts = await Promise.all(candidates.map((c) => sidecarOptsOut(listing, c.rel, DIESEL_METADATA)));
    return candidates.map((c, i) => ({ ...c, noTransaction: optOuts[i] ?? false }));
  },
  score: async (l) => directoriesWith(l, "up.sql").length,
  compare: ordered(compareDieselVersions),
  up: wholeFile,
  runsInTransaction: true,
  sidecar: DIESEL_METADATA,
  scaffold: {
    versions: "dashed-timestamp",
    paths: (v, s) => ({ up: `${v}_${s}/up.sql`, down: `${v}_${s}/down.sql` }),
    downSection: null,
  },
  down: { files: (path) => [join(dirname(path), "down.sql")] },
};
