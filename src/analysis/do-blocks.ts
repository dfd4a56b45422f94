/**
 * The statements inside a DO block, as statements of the file: each SQL statement written in a PL/pgSQL
 * body gets the findings and locks it would get outside it, at its own line and column. SQL that the
 * block builds at run time (EXECUTE) cannot be read before it runs: it is kept apart, to be reported.
 */
import type { CreateFunctionStmt, DefElem, DoStmt, Node } from "libpg-query";
import { dottedName, nodeBody, stringList } from "../sql/ast.js";
import { parseSql, type SqlStatement } from "../sql/parse.js";
import { plpgsqlStatements } from "../sql/plpgsql.js";
import { literalIndices } from "../sql/string-literal.js";

/** An EXECUTE in a DO block: its expression, located in the file. */
export interface DynamicSql {
  start: number;
  end: number;
  text: string;
}

export interface DoBlockContents {
  statements: SqlStatement[];
  dynamic: DynamicSql[];
  /** Why the body was not read (another language, a body that does not parse); null when it was. */
  unread: string | null;
}

function option(stmt: DoStmt, name: string): { value: string; location: number } | undefined {
  const found = stmt.args?.map((a) => nodeBody<DefElem>(a, "DefElem")).find((d) => d?.defname === name);
  const value = found?.arg ? nodeBody<{ sval?: string }>(found.arg, "String")?.sval : undefined;
  return value === undefined ? undefined : { value, location: found?.location ?? 0 };
}

/** The language of a DO block (plpgsql unless it says otherwise) and its body. */
export function doBody(stmt: DoStmt): { language: string; body: string | undefined } {
  return {
    language: (option(stmt, "language")?.value ?? "plpgsql").toLowerCase(),
    body: option(stmt, "as")?.value,
  };
}

/** The statements of the DO block `sql` (a DoStmt), in the file text `text` the statement was parsed from. */
export function doBlockContents(sql: SqlStatement, text: string): DoBlockContents {
  const stmt = nodeBody<DoStmt>(sql.ast ?? undefined, "DoStmt") as DoStmt;
  const { language, body } = doBody(stmt);
  const literal = sql.locate(option(stmt, "as")?.location ?? 0);
  return blockContents({ language, body, literal }, sql, text, "DO block");
}

/** A procedure's PL/pgSQL body: where its string constant starts in the file. */
export interface ProcedureBody {
  name: string;
  language: string;
  body: string | undefined;
  literal: number;
}

/** `CREATE PROCEDURE`: its name and body, to read when a later statement of the migration CALLs it. */
export function procedureBody(sql: SqlStatement, text: string): ProcedureBody | null {
  const stmt = nodeBody<CreateFunctionStmt>(sql.ast ?? undefined, "CreateFunctionStmt");
  if (!stmt?.is_procedure) return null;
  const options = (stmt.options ?? []).map((o) => nodeBody<DefElem>(o, "DefElem"));
  const as = options.find((d) => d?.defname === "as");
  const language = options.find((d) => d?.defname === "language")?.arg;
  const items = nodeBody<{ items?: Node[] }>(as?.arg, "List")?.items ?? [];
  const body = items.length === 1 ? stringList(items)[0] : undefined;
  // The option's location is its AS keyword: the constant follows after white space.
  const after = as ? sql.locate(as.location ?? 0) + 2 : sql.start;
  return {
    name: dottedName(stmt.funcname),
    language: (nodeBody<{ sval?: string }>(language, "String")?.sval ?? "sql").toLowerCase(),
    body,
    literal: after + (/^\s*/.exec(text.slice(after, after + 200))?.[0].length ?? 0),
  };
}

/** The statements of a procedure that `call` (a CALL of it) runs, positioned in its CREATE PROCEDURE. */
export function procedureContents(
  procedure: ProcedureBody,
  call: SqlStatement,
  text: string,
): DoBlockContents {
  return blockContents(procedure, call, text, `procedure ${procedure.name}`);
}

function blockContents(
  block: { language: string; body: string | undefined; literal: number },
  owner: SqlStatement,
  text: string,
  what: string,
): DoBlockContents {
  const { language, body } = block;
  const none = (unread: string | null): DoBlockContents => ({ statements: [], dynamic: [], unread });
  if (body === undefined) return none(null);
  if (language !== "plpgsql") return none(`a ${what} in ${language} is not read`);
  const found = plpgsqlStatements(body);
  if (!found) return none(`the ${what}'s PL/pgSQL body does not parse`);
  const indices = literalIndices(text, block.literal, body);
  // Where the mapping is unknown, everything points at the statement itself.
  const at = (i: number) =>
    indices ? (indices[Math.min(i, indices.length - 1)] ?? owner.start) : owner.start;
  const span = (from: number, to: number) => ({
    start: at(from),
    end: to > from ? at(to - 1) + 1 : at(from),
  });
  const contents: DoBlockContents = { statements: [], dynamic: [], unread: null };
  for (const piece of found) {
    if (piece.kind === "dynamic") {
      contents.dynamic.push({ ...span(piece.offset, piece.offset + piece.text.length), text: piece.text });
      continue;
    }
    for (const inner of parseSql(piece.text, false).statements) {
      const base = piece.offset;
      contents.statements.push({
        ...inner,
        ...span(base + inner.start, base + inner.end),
        // Directives before the block (or the CALL) apply to its statements.
        index: owner.index,
        locate: (location: number) => at(base + inner.locate(location)),
      });
    }
  }
  return contents;
}
