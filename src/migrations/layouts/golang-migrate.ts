import { basename } from "node:path";
import { parseGolangUp } from "../names.js";
import { compareNumericVersions } from "../version-order.js";
import { filesMatching, type Layout, ordered, wholeFile } from "./layout.js";

export const golangMigrate: Layout = {
  name: "golang-migrate",
  nameOf: (path) => parseGolangUp(basename(path)),
  pattern: "`<version>_<name>.up.sql`",
  partner: (rel) => /^\d+_.*\.down\.sql$/.test(rel),
  collect: async (l) => filesMatching(l, parseGolangUp),
  // The `.up.sql` files count; `.down.sql` partners are optional and ignored.
  score: async (l) => l.files.filter((f) => parseGolangUp(f)).length,
  compare: ordered(compareNumericVersions),
  up: wholeFile,
  runsInTransaction: false,
  scaffold: {
    versions: "timestamp",
    paths: (v, s) => ({ up: `${v}_${s}.up.sql`, down: `${v}_${s}.down.sql` }),
    downSection: null,
  },
  down: { files: (path) => [path.replace(/\.up\.sql$/, ".down.sql")] },
};
