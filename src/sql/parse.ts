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
  /** The string index in the file of a parse-tree `location` (a UTF-8 byte offset into what was parsed). */
  locate(location: number): number;
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
 * still analysed. `withComments` also returns the comments between statements (where directives are).
 */
/**
 * The parse tree of `sql` when it is exactly one statement; null for none, several or a syntax error. For
 * checking a fragment by wrapping it in a statement (`SELECT <expr>`, `UPDATE <table> SET ...`).
 */
export function parseOneStatement(sql: string): Node | null {
  try {
    const stmts = (parseSync(sql) as { stmts?: Array<{ stmt?: Node }> }).stmts ?? [];
    return stmts.length === 1 ? (stmts[0]?.stmt ?? null) : null;
  } catch {
    return null;
  }
}

export function parseSql(text: string, withComments = text.includes("safemigrate:")): ParsedSql {
  if (skipTrivia(text, 0, text.length) >= text.length) {
    return { statements: [], comments: withComments ? commentsBetween(text, []) : [] };
  }
  let statements: SqlStatement[];
  try {
    statements = statementsOf(text, parseSync(text) as { stmts?: RawStatement[] });
  } catch (error) {
    statements = parseStatementByStatement(text, parserError(error));
  }
  return { statements, comments: withComments ? commentsBetween(text, statements) : [] };
}

function statementsOf(text: string, result: { stmts?: RawStatement[] }): SqlStatement[] {
  const bytes = new ByteOffsets(text);
  const locate = (location: number) => bytes.toIndex(location);
  const statements: SqlStatement[] = [];
  for (const raw of result.stmts ?? []) {
    const from = bytes.toIndex(raw.stmt_location ?? 0);
    const to = raw.stmt_len ? bytes.toIndex((raw.stmt_location ?? 0) + raw.stmt_len) : text.length;
    const range = trimRange(text, from, to);
    if (!raw.stmt || range.start >= range.end) continue;
    statements.push(makeStatement(text, statements.length, range, raw.stmt, locate));
  }
  return statements;
}

function makeStatement(
  text: string,
  index: number,
  { start, end }: { start: number; end: number },
  ast: Node | null,
  locate: (location: number) => number,
): SqlStatement {
  return { index, start, end, text: text.slice(start, end), ast, locate };
}

/**
 * The index of the first character from `from` that is not white space, a semicolon or inside a
 * comment. Comments passed over are added to `comments` when given.
 */
function skipTrivia(text: string, from: number, to: number, comments?: SqlComment[]): number {
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    // space, tab, newline, carriage return, form feed, vertical tab, semicolon
    if (c === 32 || (c >= 9 && c <= 13) || c === 59) {
      i++;
      continue;
    }
    let end: number;
    if (text.startsWith("--", i)) {
      const eol = text.indexOf("\n", i);
      end = eol === -1 || eol > to ? to : eol;
    } else if (text.startsWith("/*", i)) end = blockCommentEnd(text, i, to);
    else break;
    comments?.push({ start: i, end, text: text.slice(i, end) });
    i = end;
  }
  return i;
}

/** Narrows a range to exclude surrounding white space, comments and semicolons. */
function trimRange(text: string, from: number, to: number): { start: number; end: number } {
  const start = skipTrivia(text, from, to);
  let end = to;
  while (end > start && /[\s;]/.test(text[end - 1] as string)) end--;
  // A trailing comment (possible on the last statement of a file, or before its semicolon) is cut
  // with the scanner, which alone knows whether the `--` is inside a string.
  const lastLine = text.slice(text.lastIndexOf("\n", end - 1) + 1, end);
  if (end > start && (lastLine.includes("--") || lastLine.endsWith("*/"))) {
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

/**
 * The comments between statements (and before the first and after the last): the gaps hold only
 * white space, semicolons and comments, so a plain walk finds them without the scanner.
 */
function commentsBetween(text: string, statements: SqlStatement[]): SqlComment[] {
  const comments: SqlComment[] = [];
  let from = 0;
  for (const statement of statements) {
    skipTrivia(text, from, statement.start, comments);
    from = statement.end;
  }
  skipTrivia(text, from, text.length, comments);
  return comments;
}

/**
 * The fallback for a file that does not parse whole: split it at top-level semicolons found by the
 * scanner (so that semicolons in strings, dollar quotes and comments do not count), then parse each
 * piece. When even the scanner fails (an unterminated string), everything from the statement holding
 * the error to the end of the file is one bad statement.
 */
function parseStatementByStatement(text: string, wholeFileError: ParserError): SqlStatement[] {
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
    const range = trimRange(text, piece.from, piece.to);
    const { start } = range;
    if (start >= range.end) continue;
    const pieceText = text.slice(start, piece.through);
    const pieceBytes = new ByteOffsets(pieceText);
    const locate = (location: number) => start + pieceBytes.toIndex(location);
    try {
      const result = parseSync(pieceText) as { stmts?: RawStatement[] };
      const ast = result.stmts?.[0]?.stmt ?? null;
      statements.push(makeStatement(text, statements.length, range, ast, locate));
    } catch (error) {
      const { message, cursor } = parserError(error);
      const statement = makeStatement(text, statements.length, range, null, locate);
      statement.error = { message, index: start + codePointIndex(pieceText, cursor) };
      statements.push(statement);
    }
  }
  return statements;
}
