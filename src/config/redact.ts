/**
 * Removes passwords from connection strings anywhere in a text (messages, logs, errors), so that no output
 * ever shows a database password: `postgres://user:secret@host/db` -> `postgres://user:***@host/db`.
 * Also covers the `password=...` keyword form of libpq connection strings.
 */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]*):([^\s@/?#]*)@/gi;
const KEYWORD_PASSWORD = /\b(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s'&]+)/gi;
const QUERY_PASSWORD = /([?&]password=)([^\s&#]+)/gi;

export function redact(text: string): string {
  return text
    .replace(URL_PASSWORD, (_all, user: string, password: string) => `${user}:${password ? "***" : ""}@`)
    .replace(QUERY_PASSWORD, "$1***")
    .replace(KEYWORD_PASSWORD, "$1***");
}
