import { scanSync } from "libpg-query";
import { byteLength, clipToBytes, MAX_IDENTIFIER_BYTES } from "../../sql/identifier.js";
import { ByteOffsets } from "../../sql/source.js";
import { defineRule, type RuleReport } from "../rule.js";

/**
 * The identifier a token spells: unquoted ones fold to lower case (ASCII only, as Postgres does),
 * quoted ones lose their quotes, `U&"..."` ones their escapes. Null for other tokens.
 */
function identifier(token: { tokenName: string; text: string }): string | null {
  const { text } = token;
  if (token.tokenName === "IDENT") {
    if (!text.startsWith('"')) return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
    return text.slice(1, -1).replaceAll('""', '"');
  }
  if (/^u&"/i.test(text)) {
    return text
      .slice(3, -1)
      .replaceAll('""', '"')
      .replace(/\\(?:\+([0-9a-f]{6})|([0-9a-f]{4})|(\\))/gi, (_m, long, short, slash) =>
        slash ? "\\" : String.fromCodePoint(Number.parseInt(long ?? short, 16)),
      );
  }
  return null;
}

/**
 * A cheap pre-check before scanning: whether some run of name characters (or a quoted name) is over
 * 63 bytes. Such a name has at least 22 UTF-16 units, as no unit takes more than 3 UTF-8 bytes. A run is
 * only tried from its first character (the look-behind): a run too short from there is too short from
 * anywhere inside it, and trying every position made this test quadratic in the length of each word.
 */
function mayHoldLongName(text: string): boolean {
  for (const run of text.matchAll(/(?<![\w$\u0080-\uffff])[\w$\u0080-\uffff]{22,}|"(?:[^"]|"")*"/g)) {
    if (byteLength(run[0]) > MAX_IDENTIFIER_BYTES) return true;
  }
  return false;
}

export default defineRule({
  id: "identifier-too-long",
  category: "syntax",
  defaultSeverity: "error",
  description: "An identifier longer than 63 bytes, which Postgres silently truncates.",
  help: "Use a name of at most 63 bytes (in UTF-8 a non-ASCII character takes 2 to 4 bytes).",
  check(statement) {
    const { text, start } = statement.sql;
    if (!mayHoldLongName(text)) return [];
    // The parser has already truncated the names in the parse tree, so read the tokens.
    let tokens: ReturnType<typeof scanSync>["tokens"];
    try {
      tokens = scanSync(text).tokens;
    } catch {
      return [];
    }
    const offsets = new ByteOffsets(text);
    const seen = new Set<string>();
    const reports: RuleReport[] = [];
    for (const token of tokens) {
      const name = identifier(token);
      if (name === null || seen.has(name)) continue;
      seen.add(name);
      const bytes = byteLength(name);
      if (bytes <= MAX_IDENTIFIER_BYTES) continue;
      reports.push({
        message: `identifier "${name}" is ${bytes} bytes long (the limit is ${MAX_IDENTIFIER_BYTES}); Postgres silently truncates it to "${clipToBytes(name)}"`,
        start: start + offsets.toIndex(token.start),
        end: start + offsets.toIndex(token.end),
      });
    }
    return reports;
  },
});
