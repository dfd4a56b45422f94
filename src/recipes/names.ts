/**
 * Names given on the command line (`--rename-column 'app."Orders".total' total_cents`), read as Postgres
 * reads an identifier chain: unquoted parts are folded to lower case, `"..."` parts are taken literally
 * (`""` is a quote). A name Postgres would reject or silently truncate is a usage error naming the flag.
 */
import { UsageError } from "../errors.js";
import { byteLength, MAX_IDENTIFIER_BYTES } from "../sql/identifier.js";

const UNQUOTED_START = /[\p{L}_]/u;
const UNQUOTED_PART = /[\p{L}\p{N}_$]/u;

/** The parts of a dotted identifier chain; throws a UsageError naming `flag`. */
export function identifierChain(text: string, flag: string): string[] {
  const bad = (why: string) => new UsageError(`${flag}: '${text}' is not a valid name: ${why}`);
  const parts: string[] = [];
  let at = 0;
  const chars = [...text];
  while (true) {
    let part = "";
    if (chars[at] === '"') {
      at++;
      while (true) {
        if (at >= chars.length) throw bad("unterminated quoted identifier");
        if (chars[at] === '"') {
          if (chars[at + 1] === '"') {
            part += '"';
            at += 2;
            continue;
          }
          at++;
          break;
        }
        part += chars[at++];
      }
      if (part === "") throw bad("zero-length quoted identifier");
    } else {
      if (!UNQUOTED_START.test(chars[at] ?? "")) {
        throw bad(
          at >= chars.length
            ? "a part is empty"
            : `unexpected '${chars[at]}' at character ${at + 1} (quote the name)`,
        );
      }
      while (at < chars.length && UNQUOTED_PART.test(chars[at] as string)) part += chars[at++];
      // Postgres folds unquoted ASCII letters only.
      part = part.replace(/[A-Z]+/g, (m) => m.toLowerCase());
    }
    if (part.includes("\0")) throw bad("a name cannot contain a NUL character");
    if (byteLength(part) > MAX_IDENTIFIER_BYTES)
      throw bad(`'${part}' is longer than ${MAX_IDENTIFIER_BYTES} bytes (Postgres would truncate it)`);
    parts.push(part);
    if (at >= chars.length) return parts;
    if (chars[at] !== ".") throw bad(`unexpected '${chars[at]}' at character ${at + 1} (quote the name)`);
    at++;
  }
}

export interface TableRef {
  /** null: found through the search_path. */
  schema: string | null;
  table: string;
}

export interface ColumnRef extends TableRef {
  column: string;
}

/** `table` or `schema.table`. */
export function tableRef(text: string, flag: string): TableRef {
  const parts = identifierChain(text, flag);
  if (parts.length > 2)
    throw new UsageError(`${flag}: '${text}' is not a table name (expected [schema.]table)`);
  return parts.length === 2
    ? { schema: parts[0] as string, table: parts[1] as string }
    : { schema: null, table: parts[0] as string };
}

/** `table.column` or `schema.table.column`. */
export function columnRef(text: string, flag: string): ColumnRef {
  const parts = identifierChain(text, flag);
  if (parts.length < 2 || parts.length > 3)
    throw new UsageError(`${flag}: '${text}' is not a column name (expected [schema.]table.column)`);
  const column = parts.at(-1) as string;
  return parts.length === 3
    ? { schema: parts[0] as string, table: parts[1] as string, column }
    : { schema: null, table: parts[0] as string, column };
}

/** One identifier (a new column or table name). */
export function singleName(text: string, flag: string): string {
  const parts = identifierChain(text, flag);
  if (parts.length !== 1)
    throw new UsageError(`${flag}: '${text}' is not a single name (a new name takes no schema or table)`);
  return parts[0] as string;
}
