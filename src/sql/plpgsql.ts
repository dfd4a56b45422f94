/**
 * PL/pgSQL bodies, read with Postgres's own PL/pgSQL parser (libpg-query): what a DO block's body does
 * that decides how it can be run. Needs initParser() (./parse.ts) to have loaded the parser.
 */
import { parsePlPgSQLSync } from "libpg-query";

/** A dollar-quote tag that does not occur in `body`, to wrap it in a function definition. */
function quoteTag(body: string): string {
  let tag = "$sm$";
  for (let i = 0; body.includes(tag); i++) tag = `$sm${i}$`;
  return tag;
}

/**
 * Whether a PL/pgSQL block ends or rolls back its transaction (COMMIT or ROLLBACK statements, Postgres
 * 11+), which it can only do when run outside a transaction block. Null when the body does not parse
 * (Postgres then reports the error when the block runs).
 */
export function plpgsqlControlsTransaction(body: string): boolean | null {
  const json = parsedBody(body)?.json;
  if (json === undefined) return null;
  return json.includes('"PLpgSQL_stmt_commit"') || json.includes('"PLpgSQL_stmt_rollback"');
}

/** A statement of a PL/pgSQL body: SQL written in it, or an EXECUTE of SQL built at run time. */
export interface PlpgsqlStatement {
  kind: "static" | "dynamic";
  /** The SQL (static) or the EXECUTE's expression (dynamic), as written in the body. */
  text: string;
  /** Where `text` starts in the body (a string index). */
  offset: number;
}

/**
 * The SQL statements a PL/pgSQL body runs, in body order: each statement written in it (at any depth of
 * IF, LOOP, nested blocks and exception handlers) and each EXECUTE or FOR ... IN EXECUTE, whose SQL is
 * only known at run time. Null when the body does not parse.
 */
export function plpgsqlStatements(body: string): PlpgsqlStatement[] | null {
  const parsed = parsedBody(body);
  if (!parsed) return null;
  const lineStarts = [0];
  for (let i = body.indexOf("\n"); i !== -1; i = body.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  const found: PlpgsqlStatement[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) for (const item of node) visit(item);
    if (!node || typeof node !== "object" || Array.isArray(node)) return;
    for (const [key, value] of Object.entries(node)) {
      const piece = statementOf(key, value as PlpgsqlNode, body, lineStarts);
      if (piece) found.push(piece);
      visit(value);
    }
  };
  visit(parsed.tree);
  return found.sort((a, b) => a.offset - b.offset);
}

interface PlpgsqlNode {
  lineno?: number;
  sqlstmt?: PlpgsqlExpr;
  query?: PlpgsqlExpr;
  expr?: PlpgsqlExpr;
}

type PlpgsqlExpr = { PLpgSQL_expr?: { query?: string } } | undefined;

/** The SQL a PL/pgSQL statement node runs, located in the body; null for other nodes. */
function statementOf(
  key: string,
  node: PlpgsqlNode,
  body: string,
  lineStarts: number[],
): PlpgsqlStatement | null {
  const expression = (
    key === "PLpgSQL_stmt_execsql" ? node.sqlstmt : key === "PLpgSQL_stmt_perform" ? node.expr : node.query
  )?.PLpgSQL_expr?.query;
  if (!expression) return null;
  // Line 1 of the parsed function is the body's first line (the body starts on its CREATE line).
  const lineStart = lineStarts[(node.lineno ?? 1) - 1] ?? 0;
  const find = (text: string, before = 0) => {
    const at = body.indexOf(text, lineStart);
    return at === -1 ? lineStart : at - before;
  };
  switch (key) {
    case "PLpgSQL_stmt_execsql":
      return { kind: "static", text: expression, offset: find(expression) };
    case "PLpgSQL_stmt_perform": {
      // PL/pgSQL hands `PERFORM x` on as `SELECT x`: "SELECT " is as long as "PERFORM", so the query's
      // positions stay those of the body.
      const rest = expression.replace(/^SELECT/, "");
      return { kind: "static", text: `SELECT ${rest}`, offset: find(rest, "PERFORM".length) };
    }
    case "PLpgSQL_stmt_dynexecute":
    case "PLpgSQL_stmt_dynfors": {
      const offset = find(expression);
      return constantSql(expression, offset) ?? { kind: "dynamic", text: expression, offset };
    }
    default:
      return null;
  }
}

/**
 * `EXECUTE 'sql'` or `EXECUTE $q$sql$q$`: a constant, so its SQL is known before it runs (a constant
 * with doubled quotes is left dynamic: its text and the file would no longer line up).
 */
function constantSql(expression: string, offset: number): PlpgsqlStatement | null {
  const dollar = /^(\$(?:[A-Za-z_]\w*)?\$)([\s\S]*)\1$/.exec(expression);
  const tag = dollar?.[1] as string;
  if (dollar && !(dollar[2] as string).includes(tag)) {
    return { kind: "static", text: dollar[2] as string, offset: offset + tag.length };
  }
  const quoted = /^'([^']*)'$/.exec(expression);
  if (quoted && !expression.includes("\\"))
    return { kind: "static", text: quoted[1] as string, offset: offset + 1 };
  return null;
}

function parsedBody(body: string): { tree: unknown; json: string } | null {
  const tag = quoteTag(body);
  try {
    const tree = parsePlPgSQLSync(
      `CREATE FUNCTION sm_do_block() RETURNS void LANGUAGE plpgsql AS ${tag}${body}${tag}`,
    );
    return { tree, json: JSON.stringify(tree) };
  } catch {
    return null;
  }
}
