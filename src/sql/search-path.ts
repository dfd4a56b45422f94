/**
 * A search_path as safemigrate takes it (the `searchPath` setting, or `search_path` in a database URL) and
 * gives it to the sessions it opens: the shadow's and the runner's, so that a history written for
 * `search_path=storage,public` creates and finds its unqualified names where it expects them.
 */
import { byteLength, MAX_IDENTIFIER_BYTES, quoteIdent } from "./identifier.js";

/**
 * The schemas of `text` (`storage, public`, `"My Schema", public`, `"$user", public`), in order; as
 * Postgres reads a search_path, an unquoted name is folded to lower case. Null when it is not one, with
 * the reason in `problem`.
 */
export function parseSearchPath(text: string): { schemas: string[] } | { problem: string } {
  const schemas: string[] = [];
  let rest = text.trim();
  while (rest !== "") {
    let name: string;
    if (rest.startsWith('"')) {
      const end = /^"((?:[^"]|"")*)"/.exec(rest);
      if (!end) return { problem: `an unterminated quoted name in '${text}'` };
      name = (end[1] as string).replaceAll('""', '"');
      rest = rest.slice(end[0].length).trim();
    } else {
      const end = rest.indexOf(",");
      name = (end < 0 ? rest : rest.slice(0, end)).trim().toLowerCase();
      rest = end < 0 ? "" : rest.slice(end);
      if (/[\s"]/.test(name)) return { problem: `'${name}' is not a schema name (quote it: "${name}")` };
    }
    if (name === "") return { problem: `an empty schema name in '${text}'` };
    if (byteLength(name) > MAX_IDENTIFIER_BYTES)
      return { problem: `'${name}' is longer than ${MAX_IDENTIFIER_BYTES} bytes` };
    schemas.push(name);
    if (rest === "") break;
    if (!rest.startsWith(",")) return { problem: `expected a comma after '${name}' in '${text}'` };
    rest = rest.slice(1).trim();
    if (rest === "") return { problem: `an empty schema name in '${text}'` };
  }
  if (schemas.length === 0) return { problem: "no schema named" };
  return { schemas };
}

/** The value for `SET search_path TO ...` or a session's startup parameter: every name quoted. */
export function searchPathValue(schemas: readonly string[]): string {
  return schemas.map(quoteIdent).join(", ");
}

/**
 * The search_path a database URL sets for its sessions: its `search_path` parameter, or `-c search_path=`
 * in its `options` parameter (the two libpq forms); null when it sets none or the URL does not parse.
 */
export function searchPathOfUrl(url: string): string | null {
  let params: URLSearchParams;
  try {
    params = new URL(url).searchParams;
  } catch {
    return null;
  }
  const direct = params.get("search_path");
  if (direct !== null) return direct;
  const options = params.get("options") ?? "";
  const match = /(?:^|\s)-c\s*search_path=((?:\\.|\S)+)/.exec(options);
  return match ? (match[1] as string).replace(/\\(.)/g, "$1") : null;
}
