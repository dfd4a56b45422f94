/**
 * Identifiers: Postgres's limit (NAMEDATALEN - 1 bytes, a longer name is cut at a character boundary), and
 * quoting for the SQL safemigrate writes.
 */

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
