import { loadModule, type Node, parseSync, type ScanToken, scanSync } from "libpg-query";
import { ByteOffsets } from "./source.js";

/** One top-level SQL statement of a file, located by string indices into the file's text. */
export interface SqlStatement {
  /** Ordinal within the file, from 0. */
  index: number;
  start: number;
  end: number;
  text: string;
  /** The parse tree, e.g. `{ IndexStmt: {...} }`; null when the statement does not parse. */
  ast: Node | null;
  /** Set when the statement does not parse: the parser's message and where it points. */
  error?: { message: string; index: number };
}

export interface SqlComment {
  start: number;
  end: number;
  text: string;
}

export interface ParsedSql {
  statements: SqlStatement[];
  comments: SqlComment[];
}

let loaded: Promise<void> | null = null;

/** Loads the WASM parser once; every other function here needs it loaded. */
export function initParser(): Promise<void> {
  loaded ??= loadModule();
  return loaded;
}

interface RawStatement {
  stmt?: Node;
  stmt_location?: number;
  stmt_len?: number;
}

interface ParserError {
  message: string;
  /** 0-based, in code points (unlike statement locations, which are UTF-8 bytes). */
  cursor: number;
}

/** The string index of the `codePoints`-th code point of `text`. */
function codePointIndex(text: string, codePoints: number): number {
  let index = 0;
  for (let n = 0; n < codePoints && index < text.length; n++) {
    const code = text.charCodeAt(index);
    index += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
  }
  return index;
}

function parserError(error: unknown): ParserError {
  const details = (error as { sqlDetails?: { message: string; cursorPosition: number } }).sqlDetails;
  if (details) return { message: details.message, cursor: details.cursorPosition };
  return { message: error instanceof Error ? error.message : String(error), cursor: 0 };
}

/**
 * Parses a file of SQL into statements with exact ranges. A file that does not parse whole is
 * split at top-level semicolons so that each bad statement is reported on its own and the rest is
 * still analysed. `withComments` also returns the comments (needed for directives).
 */
export function parseSql(text: string, withComments = text.includes("safemigrate:")): ParsedSql {
  if (isBlank(text)) return { statements: [], comments: withComments ? scanComments(text) : [] };
  try {
    const result = parseSync(text) as { stmts?: RawStatement[] };
    const bytes = new ByteOffsets(text);
    const statements: SqlStatement[] = [];
    for (const raw of result.stmts ?? []) {
      const from = bytes.toIndex(raw.stmt_location ?? 0);
      const to = raw.stmt_len ? bytes.toIndex((raw.stmt_location ?? 0) + raw.stmt_len) : text.length;
      const range = trimRange(text, from, to);
      if (!raw.stmt || range.start >= range.end) continue;
      statements.push(makeStatement(text, statements.length, range.start, range.end, raw.stmt));
    }
    return { statements, comments: withComments ? scanComments(text) : [] };
  } catch (error) {
    return parseStatementByStatement(text, parserError(error));
  }
}

function makeStatement(
  text: string,
  index: number,
  start: number,
  end: number,
  ast: Node | null,
): SqlStatement {
  return { index, start, end, text: text.slice(start, end), ast };
}

function isBlank(text: string): boolean {
  return trimRange(text, 0, text.length).start >= text.length;
}

/** Narrows a range to exclude surrounding white space, comments and semicolons. */
export function trimRange(text: string, from: number, to: number): { start: number; end: number } {
  let start = from;
  for (;;) {
    while (start < to && /[\s;]/.test(text[start] as string)) start++;
    if (text.startsWith("--", start)) {
      const eol = text.indexOf("\n", start);
      start = eol === -1 || eol > to ? to : eol + 1;
    } else if (text.startsWith("/*", start)) {
      start = blockCommentEnd(text, start, to);
    } else break;
  }
  let end = to;
  while (end > start && /[\s;]/.test(text[end - 1] as string)) end--;
  // A trailing line comment (only possible on the last statement of a file) is cut by the scanner.
  if (end > start && text.slice(start, end).match(/--|\*\//)) {
    const tokens = safeScan(text.slice(start, end));
    const last = tokens?.filter((t) => !isComment(t)).at(-1);
    if (last) end = start + new ByteOffsets(text.slice(start, end)).toIndex(last.end);
  }
  return { start, end };
}

function blockCommentEnd(text: string, from: number, limit: number): number {
  let depth = 0;
  let i = from;
  while (i < limit) {
    if (text.startsWith("/*", i)) {
      depth++;
      i += 2;
    } else if (text.startsWith("*/", i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return limit;
}

function isComment(token: ScanToken): boolean {
  return token.tokenName === "SQL_COMMENT" || token.tokenName === "C_COMMENT";
}

function safeScan(text: string): ScanToken[] | null {
  try {
    return scanSync(text).tokens;
  } catch {
    return null;
  }
}

/** Comments of a text, from the real scanner, so that comment markers inside strings are not taken. */
export function scanComments(text: string): SqlComment[] {
  const tokens = safeScan(text) ?? safeScan(text.slice(0, firstScanError(text))) ?? [];
  const bytes = new ByteOffsets(text);
  return tokens.filter(isComment).map((t) => {
    const start = bytes.toIndex(t.start);
    const end = bytes.toIndex(t.end);
    return { start, end, text: text.slice(start, end) };
  });
}

function firstScanError(text: string): number {
  try {
    parseSync(text);
    return text.length;
  } catch (error) {
    return codePointIndex(text, parserError(error).cursor);
  }
}

/**
 * The fallback for a file that does not parse whole: split it at top-level semicolons found by the
 * scanner (so that semicolons in strings, dollar quotes and comments do not count), then parse each
 * piece. When even the scanner fails (an unterminated string), everything from the statement holding
 * the error to the end of the file is one bad statement.
 */
function parseStatementByStatement(text: string, wholeFileError: ParserError): ParsedSql {
  const bytes = new ByteOffsets(text);
  let tokens = safeScan(text);
  if (tokens === null) tokens = safeScan(text.slice(0, codePointIndex(text, wholeFileError.cursor))) ?? [];
  // `through` includes the semicolon, so that the parser's message matches what Postgres says.
  const pieces: Array<{ from: number; to: number; through: number }> = [];
  let from = 0;
  let atomicDepth = 0;
  let previous = "";
  for (const token of tokens) {
    if (isComment(token)) continue;
    const word = token.text.toUpperCase();
    if (word === "ATOMIC" && previous === "BEGIN") atomicDepth++;
    else if (atomicDepth > 0 && word === "CASE") atomicDepth++;
    else if (atomicDepth > 0 && word === "END") atomicDepth--;
    else if (token.text === ";" && atomicDepth === 0) {
      const through = bytes.toIndex(token.end);
      pieces.push({ from, to: bytes.toIndex(token.start), through });
      from = through;
    }
    previous = word;
  }
  // When the scanner stopped at an unterminated token, the last piece runs to the end of the file.
  pieces.push({ from, to: text.length, through: text.length });

  const statements: SqlStatement[] = [];
  for (const piece of pieces) {
    const { start, end } = trimRange(text, piece.from, piece.to);
    if (start >= end) continue;
    const pieceText = text.slice(start, piece.through);
    try {
      const result = parseSync(pieceText) as { stmts?: RawStatement[] };
      const ast = result.stmts?.[0]?.stmt ?? null;
      statements.push(makeStatement(text, statements.length, start, end, ast));
    } catch (error) {
      const { message, cursor } = parserError(error);
      const statement = makeStatement(text, statements.length, start, end, null);
      statement.error = { message, index: start + codePointIndex(pieceText, cursor) };
      statements.push(statement);
    }
  }
  return { statements, comments: scanComments(text) };
}
