/** The layouts safemigrate reads, one descriptor per file; detection tries them in this order. */
import type { LayoutName } from "../migration.js";
import { atlas } from "./atlas.js";
import { dbmate } from "./dbmate.js";
import { diesel } from "./diesel.js";
import { drizzleKit } from "./drizzle-kit.js";
import { flyway } from "./flyway.js";
import { golangMigrate } from "./golang-migrate.js";
import { goose } from "./goose.js";
import { graphileMigrate } from "./graphile-migrate.js";
import type { Layout } from "./layout.js";
import { nodePgMigrate } from "./node-pg-migrate.js";
import { plain } from "./plain.js";
import { pop } from "./pop.js";
import { prisma } from "./prisma.js";
import { sqitch } from "./sqitch.js";

export { type Candidate, claimedBy, type Layout, type NamedFile, type Scaffold } from "./layout.js";

/** All layouts; on equal detection scores the earlier (more specific) one wins. */
export const LAYOUT_DESCRIPTORS: readonly Layout[] = [
  atlas,
  sqitch,
  drizzleKit,
  graphileMigrate,
  diesel,
  prisma,
  pop,
  golangMigrate,
  flyway,
  goose,
  dbmate,
  nodePgMigrate,
  plain,
];

export function layoutByName(name: LayoutName): Layout {
  const layout = LAYOUT_DESCRIPTORS.find((l) => l.name === name);
  if (!layout) throw new Error(`unknown layout ${name}`);
  return layout;
}
