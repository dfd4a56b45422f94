/**
 * Extensions on the embedded shadow. PGlite can only load an extension when the instance is created, so
 * plan reads which extensions the migrations create before starting it and loads just those (each costs
 * start-up time).
 */
import type { Extension } from "@electric-sql/pglite";
import type { CreateExtensionStmt } from "libpg-query";
import type { Migration } from "../migrations/migration.js";
import { nodeBody } from "../sql/ast.js";
import { parseSql } from "../sql/parse.js";

/** Extension name (as in CREATE EXTENSION) -> the PGlite contrib module that ships it. */
const CONTRIB: Record<string, () => Promise<Extension>> = {
  amcheck: async () => (await import("@electric-sql/pglite/contrib/amcheck")).amcheck,
  bloom: async () => (await import("@electric-sql/pglite/contrib/bloom")).bloom,
  btree_gin: async () => (await import("@electric-sql/pglite/contrib/btree_gin")).btree_gin,
  btree_gist: async () => (await import("@electric-sql/pglite/contrib/btree_gist")).btree_gist,
  citext: async () => (await import("@electric-sql/pglite/contrib/citext")).citext,
  cube: async () => (await import("@electric-sql/pglite/contrib/cube")).cube,
  dict_int: async () => (await import("@electric-sql/pglite/contrib/dict_int")).dict_int,
  dict_xsyn: async () => (await import("@electric-sql/pglite/contrib/dict_xsyn")).dict_xsyn,
  earthdistance: async () => (await import("@electric-sql/pglite/contrib/earthdistance")).earthdistance,
  fuzzystrmatch: async () => (await import("@electric-sql/pglite/contrib/fuzzystrmatch")).fuzzystrmatch,
  hstore: async () => (await import("@electric-sql/pglite/contrib/hstore")).hstore,
  intarray: async () => (await import("@electric-sql/pglite/contrib/intarray")).intarray,
  isn: async () => (await import("@electric-sql/pglite/contrib/isn")).isn,
  lo: async () => (await import("@electric-sql/pglite/contrib/lo")).lo,
  ltree: async () => (await import("@electric-sql/pglite/contrib/ltree")).ltree,
  moddatetime: async () => (await import("@electric-sql/pglite/contrib/moddatetime")).moddatetime,
  pg_trgm: async () => (await import("@electric-sql/pglite/contrib/pg_trgm")).pg_trgm,
  pgcrypto: async () => (await import("@electric-sql/pglite/contrib/pgcrypto")).pgcrypto,
  seg: async () => (await import("@electric-sql/pglite/contrib/seg")).seg,
  tablefunc: async () => (await import("@electric-sql/pglite/contrib/tablefunc")).tablefunc,
  tcn: async () => (await import("@electric-sql/pglite/contrib/tcn")).tcn,
  tsm_system_rows: async () => (await import("@electric-sql/pglite/contrib/tsm_system_rows")).tsm_system_rows,
  tsm_system_time: async () => (await import("@electric-sql/pglite/contrib/tsm_system_time")).tsm_system_time,
  unaccent: async () => (await import("@electric-sql/pglite/contrib/unaccent")).unaccent,
  "uuid-ossp": async () => (await import("@electric-sql/pglite/contrib/uuid_ossp")).uuid_ossp,
};

/**
 * Names of the extensions the migrations create, in order of first appearance. Read before the analysis
 * so that the shadow can start while the migrations are linted: only files that mention the word are
 * parsed here (a cheap filter; the parser decides).
 */
export function extensionsIn(migrations: Migration[]): string[] {
  const names = new Set<string>();
  for (const migration of migrations) {
    if (!/extension/i.test(migration.file.upText)) continue;
    for (const statement of parseSql(migration.file.upText, false).statements) {
      const body = statement.ast
        ? nodeBody<CreateExtensionStmt>(statement.ast, "CreateExtensionStmt")
        : undefined;
      if (body?.extname) names.add(body.extname);
    }
  }
  return [...names];
}

/** The PGlite extension modules for `names`; names PGlite lacks are skipped (CREATE EXTENSION then fails). */
export async function loadEmbeddedExtensions(names: string[]): Promise<Record<string, Extension>> {
  const wanted = names.filter((n) => n in CONTRIB);
  const modules = await Promise.all(wanted.map((n) => (CONTRIB[n] as () => Promise<Extension>)()));
  return Object.fromEntries(wanted.map((n, i) => [n.replace(/-/g, "_"), modules[i] as Extension]));
}
