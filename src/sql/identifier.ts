/**
 * Identifiers: Postgres's limit (NAMEDATALEN - 1 bytes, a longer name is cut at a character boundary), and
 * quoting for the SQL safemigrate writes.
 */
import { scanSync } from "libpg-query";

export const MAX_IDENTIFIER_BYTES = 63;

export function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** The longest prefix of `text` that fits in `bytes` UTF-8 bytes without splitting a character. */
export function clipToBytes(text: string, bytes = MAX_IDENTIFIER_BYTES): string {
  let used = 0;
  let kept = "";
  for (const char of text) {
    used += byteLength(char);
    if (used > bytes) break;
    kept += char;
  }
  return kept;
}

/** A Postgres identifier, always quoted, so that any schema or index name is taken literally. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * An identifier quoted only where Postgres needs it, as its quote_ident does: a name of lower-case letters,
 * digits, `_` and `$` that is not a keyword (or only an unreserved one) stays as it is. For SQL people read
 * and write back (the backfill directive, commands in help); statements safemigrate runs quote every name.
 */
export function quoteIdentIfNeeded(name: string): string {
  if (!/^[a-z_][a-z0-9_$]*$/.test(name)) return quoteIdent(name);
  const [token, ...more] = scanSync(name).tokens;
  return !token || more.length > 0 || token.keywordKind > 1 ? quoteIdent(name) : name;
}
