/**
 * The statements inside a DO block, as statements of the file: each SQL statement written in a PL/pgSQL
 * body gets the findings and locks it would get outside it, at its own line and column. SQL that the
 * block builds at run time (EXECUTE) cannot be read before it runs: it is kept apart, to be reported.
 */
import type { DefElem, DoStmt } from "libpg-query";
import { nodeBody } from "../sql/ast.js";
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
  const none = (unread: string | null): DoBlockContents => ({ statements: [], dynamic: [], unread });
  if (body === undefined) return none(null);
  if (language !== "plpgsql") return none(`a DO block in ${language} is not read`);
  const found = plpgsqlStatements(body);
  if (!found) return none("the DO block's PL/pgSQL body does not parse");
  const literal = sql.locate(option(stmt, "as")?.location ?? 0);
  const indices = literalIndices(text, literal, body);
  // Where the mapping is unknown, everything points at the DO statement itself.
  const at = (i: number) => (indices ? (indices[Math.min(i, indices.length - 1)] ?? sql.start) : sql.start);
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
        index: sql.index,
        locate: (location: number) => at(base + inner.locate(location)),
      });
    }
  }
  return contents;
}
