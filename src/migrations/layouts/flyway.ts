import { basename, dirname, join } from "node:path";
import { parseFlyway } from "../names.js";
import { compareFlywayVersions, compareText } from "../version-order.js";
import { type Layout, type Sidecar, sidecarOptsOut, wholeFile } from "./layout.js";

const FLYWAY_CONF: Sidecar = {
  pathFor: (migration) => `${migration}.conf`,
  optsOut: /^\s*executeInTransaction\s*=\s*false\b/im,
  optOut: "executeInTransaction=false\n",
};

export const flyway: Layout = {
  name: "flyway",
  nameOf: (path) => parseFlyway(basename(path)),
  pattern: "`V<version>__<name>.sql` or `R__<name>.sql`",
  // Undo migrations (Flyway Teams) are the down part.
  partner: (rel) => /^U\d+(?:[._]\d+)*__.*\.sql$/.test(rel),
  async collect(listing) {
    const found = listing.files.flatMap((rel) => {
      const parsed = parseFlyway(rel);
      return parsed ? [{ ...parsed, rel }] : [];
    });
    return Promise.all(
      found.map(async (c) => ({ ...c, noTransaction: await sidecarOptsOut(listing, c.rel, FLYWAY_CONF) })),
    );
  },
  score: async (l) => l.files.filter((f) => parseFlyway(f)).length,
  compare: (a, b) =>
    Number(a.repeatable ?? false) - Number(b.repeatable ?? false) ||
    (a.repeatable ? compareText(a.name, b.name) : compareFlywayVersions(a.version, b.version)) ||
    compareText(a.rel, b.rel),
  up: wholeFile,
  runsInTransaction: true,
  sidecar: FLYWAY_CONF,
  scaffold: { versions: "integer", paths: (v, s) => ({ up: `V${v}__${s}.sql` }), downSection: "rollback" },
  // Flyway Teams undo migrations: `U<version>__<description>.sql` beside `V<version>__<description>.sql`.
  down: { files: (path) => [join(dirname(path), basename(path).replace(/^V/, "U"))] },
};
