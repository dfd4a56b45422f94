/** Identifiers and keys for the SQL safemigrate writes itself (the history tables, catalog checks). */
import { createHash } from "node:crypto";
import { quoteIdent } from "../sql/identifier.js";

export { quoteIdent };

/** `schema.name` with both parts quoted, or the quoted name alone (resolved through the search_path). */
export function qualified(schema: string | null, name: string): string {
  return schema ? `${quoteIdent(schema)}.${quoteIdent(name)}` : quoteIdent(name);
}

/**
 * SQL for a relation's display name as the model writes it: `name` in public, else `schema.name`, unquoted;
 * `cls` and `ns` are the aliases of pg_class and pg_namespace in the query.
 */
export function displayNameSql(cls: string, ns: string): string {
  return `CASE WHEN ${ns}.nspname = 'public' THEN ${cls}.relname::text ELSE ${ns}.nspname || '.' || ${cls}.relname END`;
}

/**
 * The advisory lock key of a history schema: the first 8 bytes of sha256("safemigrate:" + schema) as a
 * signed bigint, so that runners of the same history serialise and runners of different ones do not.
 */
export function advisoryKey(schema: string): string {
  const digest = createHash("sha256").update(`safemigrate:${schema}`, "utf8").digest();
  return digest.readBigInt64BE(0).toString();
}
