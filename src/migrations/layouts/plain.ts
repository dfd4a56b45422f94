import { basename } from "node:path";
import { parsePlain } from "../names.js";
import { upPart } from "../sections.js";
import { compareNumericVersions } from "../version-order.js";
import { filesMatching, type Layout, ordered } from "./layout.js";

export const plain: Layout = {
  name: "plain",
  nameOf: (path) => parsePlain(basename(path)),
  pattern: "`<version>_<name>.sql` or `<version>-<name>.sql`",
  collect: async (l) => filesMatching(l, parsePlain),
  // The fallback: chosen only when no other layout matches anything.
  score: async () => 0,
  compare: ordered(compareNumericVersions),
  up: (text) => upPart(text),
  runsInTransaction: false,
  scaffold: {
    versions: "sequence",
    paths: (v, s) => ({ up: `${v}_${s}.sql` }),
    downSection: "rollback",
  },
  down: { sections: ["goose", "dbmate"] },
};
