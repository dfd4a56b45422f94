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
  const tag = quoteTag(body);
  try {
    const parsed = parsePlPgSQLSync(
      `CREATE FUNCTION sm_do_block() RETURNS void LANGUAGE plpgsql AS ${tag}${body}${tag}`,
    );
    const json = JSON.stringify(parsed);
    return json.includes('"PLpgSQL_stmt_commit"') || json.includes('"PLpgSQL_stmt_rollback"');
  } catch {
    return null;
  }
}
