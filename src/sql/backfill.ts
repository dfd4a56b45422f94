/**
 * `-- safemigrate:backfill table=orders set="total_cents = (total * 100)::bigint" where="total_cents IS NULL"
 * [batch=1000] [pause=0] [key=id]`: a batched UPDATE that the runner walks along a single-column key, one short
 * transaction per batch. Read here into its parts, each checked with the Postgres grammar, so that the
 * SQL the runner composes from them can only be the one UPDATE the directive describes.
 */
import { type Node, type ScanToken, scanSync } from "libpg-query";
import { parseDuration } from "../duration.js";
import { qualifiedName } from "./ast.js";
import { quoteIdent } from "./identifier.js";
import { parseOneStatement } from "./parse.js";

export interface BackfillDirective {
  /** The table as the model names relations: `name` in public, else `schema.name` (unquoted). */
  relation: string;
  /** The table for generated SQL, every identifier quoted. */
  tableSql: string;
  schema: string | null;
  table: string;
  /** The SET list and WHERE condition as written (the WHERE is null when none is given). */
  set: string;
  where: string | null;
  /** The columns the SET list assigns (the walk refuses to change its own key). */
  assigns: string[];
  /** Rows per batch. */
  batch: number;
  pauseMs: number;
  /** The key column given with key=, unquoted; null for the primary key. */
  key: string | null;
  /** The directive comment's range in the file. */
  start: number;
  end: number;
}

/** A directive that cannot be read: where in the file (a string index) and why. */
export interface DirectiveError {
  index: number;
  message: string;
}

const KEYS = ["table", "set", "where", "batch", "pause", "key"] as const;
type Key = (typeof KEYS)[number];
const DEFAULT_BATCH = 1000;

interface RawValue {
  value: string;
  /** String index in the file where the value (or the key, for errors about the pair) starts. */
  at: number;
}

/** `"` or `'` quoted values take `\"`, `\'` and `\\` escapes; bare values run to the next white space. */
function readPairs(text: string, offset: number): Map<Key, RawValue> | DirectiveError {
  const pairs = new Map<Key, RawValue>();
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i] as string)) {
      i++;
      continue;
    }
    const match = /^([A-Za-z_-]+)=/.exec(text.slice(i));
    if (!match) return { index: offset + i, message: "backfill: expected key=value" };
    const name = match[1] as string;
    if (!(KEYS as readonly string[]).includes(name)) {
      return { index: offset + i, message: `backfill: unknown key '${name}' (expected ${KEYS.join(", ")})` };
    }
    if (pairs.has(name as Key)) return { index: offset + i, message: `backfill: ${name}= given twice` };
    const at = offset + i;
    i += match[0].length;
    let value = "";
    const quote = text[i];
    if (quote === '"' || quote === "'") {
      i++;
      for (;;) {
        if (i >= text.length)
          return { index: at, message: `backfill: ${name}= has an unterminated ${quote}` };
        const c = text[i] as string;
        if (c === "\\" && (text[i + 1] === quote || text[i + 1] === "\\")) {
          value += text[i + 1];
          i += 2;
        } else if (c === quote) {
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
    } else {
      while (i < text.length && !/\s/.test(text[i] as string)) value += text[i++];
    }
    pairs.set(name as Key, { value, at });
  }
  return pairs;
}

/**
 * Why the value is not one balanced piece of SQL without comments (null when it is): wrapped in
 * parentheses or placed between the runner's own clauses, such a value stays what it is.
 */
function containmentProblem(sql: string): string | null {
  let tokens: ScanToken[];
  try {
    tokens = scanSync(sql).tokens;
  } catch {
    return "does not scan as SQL";
  }
  let depth = 0;
  for (const token of tokens) {
    if (token.tokenName === "SQL_COMMENT" || token.tokenName === "C_COMMENT") return "holds a comment";
    if (token.text === ";") return "holds a ;";
    if (token.text === "(" || token.text === "[") depth++;
    if (token.text === ")" || token.text === "]") depth--;
    if (depth < 0) break;
  }
  return depth === 0 ? null : "has unbalanced parentheses";
}

function isSelfContained(sql: string): boolean {
  return containmentProblem(sql) === null;
}

function readTable(raw: RawValue): { schema: string | null; table: string } | DirectiveError {
  const bad = { index: raw.at, message: `backfill: table= '${raw.value}' is not a table name` };
  if (!isSelfContained(raw.value)) return bad;
  const stmt = parseOneStatement(`UPDATE ${raw.value} SET x = 1`) as {
    UpdateStmt?: {
      relation?: {
        schemaname?: string;
        relname?: string;
        catalogname?: string;
        inh?: boolean;
        alias?: unknown;
      };
    };
  } | null;
  const relation = stmt?.UpdateStmt?.relation;
  if (!relation?.relname || relation.alias || relation.catalogname || relation.inh !== true) return bad;
  return { schema: relation.schemaname ?? null, table: relation.relname };
}

function readKey(raw: RawValue): string | DirectiveError {
  const bad = { index: raw.at, message: `backfill: key= '${raw.value}' is not a single column name` };
  if (!isSelfContained(raw.value)) return bad;
  const stmt = parseOneStatement(`SELECT ${raw.value} FROM t`) as {
    SelectStmt?: {
      targetList?: Array<{ ResTarget?: { name?: string; val?: { ColumnRef?: { fields?: Node[] } } } }>;
    };
  } | null;
  const targets = stmt?.SelectStmt?.targetList ?? [];
  const fields =
    targets.length === 1 && !targets[0]?.ResTarget?.name
      ? targets[0]?.ResTarget?.val?.ColumnRef?.fields
      : null;
  const name = fields?.length === 1 ? (fields[0] as { String?: { sval?: string } }).String?.sval : undefined;
  return name ?? bad;
}

/** SET and WHERE make one UPDATE of the table and nothing more; resolves to the columns the SET assigns. */
function checkUpdate(
  set: RawValue,
  where: RawValue | undefined,
  tableSql: string,
): { assigns: string[] } | DirectiveError {
  for (const [name, raw] of [
    ["set", set],
    ["where", where],
  ] as const) {
    if (!raw) continue;
    const problem = raw.value.trim() === "" ? "is empty" : containmentProblem(raw.value);
    if (problem) return { index: raw.at, message: `backfill: ${name}= ${problem}` };
  }
  const stmt = parseOneStatement(updateSql(tableSql, set.value, where?.value ?? null)) as {
    UpdateStmt?: {
      targetList?: Array<{ ResTarget?: { name?: string } }>;
      fromClause?: unknown[];
      returningClause?: unknown;
      withClause?: unknown;
      whereClause?: unknown;
    };
  } | null;
  const update = stmt?.UpdateStmt;
  if (!update || update.fromClause?.length || update.returningClause || update.withClause) {
    const blame = where && update === undefined ? where : set;
    return {
      index: blame.at,
      message: `backfill: ${where ? "set= and where= do" : "set= does"} not make one UPDATE of the table: ${updateSql(tableSql, set.value, where?.value ?? null)}`,
    };
  }
  return { assigns: (update.targetList ?? []).flatMap((t) => (t.ResTarget?.name ? [t.ResTarget.name] : [])) };
}

/** The whole-table UPDATE a backfill stands for (what plan traces; the runner adds the key range). */
export function updateSql(tableSql: string, set: string, where: string | null): string {
  return `UPDATE ${tableSql} SET ${set}${where === null ? "" : ` WHERE (${where})`}`;
}

/**
 * Reads the arguments of a backfill directive (`args`, starting at string index `offset` of the file; the
 * comment spans `start`..`end`).
 */
export function readBackfill(
  args: string,
  offset: number,
  range: { start: number; end: number },
): BackfillDirective | DirectiveError {
  const pairs = readPairs(args, offset);
  if ("message" in pairs) return pairs as DirectiveError;
  for (const required of ["table", "set"] as const) {
    if (!pairs.has(required)) return { index: range.start, message: `backfill: ${required}= is missing` };
  }
  const table = readTable(pairs.get("table") as RawValue);
  if ("message" in table) return table;
  const tableSql = table.schema
    ? `${quoteIdent(table.schema)}.${quoteIdent(table.table)}`
    : quoteIdent(table.table);
  const set = pairs.get("set") as RawValue;
  const where = pairs.get("where");
  const update = checkUpdate(set, where, tableSql);
  if ("message" in update) return update;
  let batch = DEFAULT_BATCH;
  const rawBatch = pairs.get("batch");
  if (rawBatch) {
    if (
      !/^\d+$/.test(rawBatch.value) ||
      Number(rawBatch.value) < 1 ||
      !Number.isSafeInteger(Number(rawBatch.value))
    )
      return {
        index: rawBatch.at,
        message: `backfill: batch= expects a number of rows >= 1, got '${rawBatch.value}'`,
      };
    batch = Number(rawBatch.value);
  }
  let pauseMs = 0;
  const rawPause = pairs.get("pause");
  if (rawPause) {
    try {
      pauseMs = parseDuration(rawPause.value, "backfill: pause=");
    } catch (error) {
      return { index: rawPause.at, message: (error as Error).message };
    }
  }
  let key: string | null = null;
  const rawKey = pairs.get("key");
  if (rawKey) {
    const read = readKey(rawKey);
    if (typeof read !== "string") return read;
    key = read;
  }
  return {
    relation: qualifiedName(table.schema ?? undefined, table.table),
    tableSql,
    schema: table.schema,
    table: table.table,
    set: set.value.trim(),
    where: where ? where.value.trim() : null,
    assigns: update.assigns,
    batch,
    pauseMs,
    key,
    start: range.start,
    end: range.end,
  };
}

/**
 * The directive for a backfill, as a comment line that `readBackfill` reads back to the same values (for
 * code that writes migrations): values quoted with `"`, their `"` and `\` escaped. `table` and `key` are SQL
 * names as they would appear in a statement (quoted as needed), `set` and `where` SQL as written.
 */
export function backfillDirective(spec: {
  table: string;
  set: string;
  where?: string | null;
  batch?: number;
  pause?: string;
  key?: string | null;
}): string {
  const quote = (value: string) => `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
  const parts = [`table=${quote(spec.table)}`, `set=${quote(spec.set)}`];
  if (spec.where) parts.push(`where=${quote(spec.where)}`);
  if (spec.batch !== undefined) parts.push(`batch=${spec.batch}`);
  if (spec.pause !== undefined) parts.push(`pause=${quote(spec.pause)}`);
  if (spec.key) parts.push(`key=${quote(spec.key)}`);
  return `-- safemigrate:backfill ${parts.join(" ")}`;
}
