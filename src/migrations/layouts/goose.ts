import { basename } from "node:path";
import type { Listing } from "../listing.js";
import { parseGooseGo, parseNumbered } from "../names.js";
import { upPart } from "../sections.js";
import { compareNumericVersions } from "../version-order.js";
import { claimedCount, filesMatching, type Layout, markersIn, ordered } from "./layout.js";

const numbered = async (l: Listing) => filesMatching(l, parseNumbered);

export const goose: Layout = {
  name: "goose",
  nameOf: (path) => parseNumbered(basename(path)),
  pattern: "`<version>_<name>.sql`",
  // goose runs its Go migrations in the same sequence as the SQL ones.
  collect: async (l) => [
    ...(await numbered(l)),
    ...filesMatching(l, parseGooseGo).map((c) => ({ ...c, go: true })),
  ],
  claims: async (l, c) => c.go === true || (await markersIn(l, c, "goose")),
  score: (l) => claimedCount(goose, l),
  compare: ordered(compareNumericVersions),
  up: (text) => upPart(text, ["goose"]),
  runsInTransaction: true,
  scaffold: { versions: "timestamp", paths: (v, s) => ({ up: `${v}_${s}.sql` }), downSection: "goose" },
  down: { sections: ["goose"] },
};
