import { basename } from "node:path";
import type { Listing } from "../listing.js";
import { parseDbmate } from "../names.js";
import { upPart } from "../sections.js";
import { compareText } from "../version-order.js";
import { claimedCount, filesMatching, type Layout, markersIn } from "./layout.js";

const dbmateFiles = async (l: Listing) => filesMatching(l, parseDbmate);
export const dbmate: Layout = {
  name: "dbmate",
  nameOf: (path) => parseDbmate(basename(path)),
  pattern: "`<version>_<name>.sql`",
  collect: dbmateFiles,
  claims: (l, c) => markersIn(l, c, "dbmate"),
  score: (l) => claimedCount(dbmate, l),
  // dbmate sorts its migrations by file name.
  compare: (a, b) => compareText(a.rel, b.rel),
  up: (text) => upPart(text, ["dbmate"]),
  runsInTransaction: true,
  scaffold: { versions: "timestamp", paths: (v, s) => ({ up: `${v}_${s}.sql` }), downSection: "dbmate" },
  down: { sections: ["dbmate"] },
};
