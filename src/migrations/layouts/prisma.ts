import { basename, dirname } from "node:path";
import { parseDirectory } from "../names.js";
import { compareText } from "../version-order.js";
import { directoriesWith, type Layout, wholeFile } from "./layout.js";

export const prisma: Layout = {
  name: "prisma",
  nameOf: (path) => (basename(path) === "migration.sql" ? parseDirectory(basename(dirname(path))) : null),
  pattern: "`<timestamp>_<name>/migration.sql`",
  nested: true,
  collect: async (l) => directoriesWith(l, "migration.sql"),
  // A migration_lock.toml settles a tie.
  score: async (l) => {
    const count = directoriesWith(l, "migration.sql").length;
    return count > 0 && l.files.includes("migration_lock.toml") ? count + 1 : count;
  },
  // Prisma applies its migration directories in the order of their names.
  compare: (a, b) => compareText(a.rel, b.rel),
  up: wholeFile,
  runsInTransaction: false,
  scaffold: {
    versions: "timestamp",
    paths: (v, s) => ({ up: `${v}_${s}/migration.sql` }),
    downSection: "rollback",
    lowerCase: true,
  },
};
