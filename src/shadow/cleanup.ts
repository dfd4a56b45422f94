/**
 * Puts a shadow database back as it was: everything a plan's replay and trace created (extensions,
 * schemas, relations, types, routines) is dropped, and nothing that was there before. Used on a
 * --shadow-url database after the plan, and to reuse one embedded shadow across plans (tests).
 */
import { LAST_SYSTEM_OID, type Shadow } from "./shadow.js";

/** User objects (not system, not owned by an extension), by catalog, so that plan drops only its own. */
const OBJECTS_SQL = `
  SELECT 'extension' AS kind, oid::int8::text AS oid, quote_ident(extname) AS name, '' AS relkind
    FROM pg_extension WHERE oid > ${LAST_SYSTEM_OID}
  UNION ALL
  SELECT 'schema', oid::int8::text, quote_ident(nspname), '' FROM pg_namespace
    WHERE oid > ${LAST_SYSTEM_OID} AND nspname NOT LIKE 'pg\\_%'
  UNION ALL
  SELECT 'relation', c.oid::int8::text, format('%I.%I', n.nspname, c.relname), c.relkind::text
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid > ${LAST_SYSTEM_OID} AND c.relkind IN ('r','p','m','v','f','S') AND n.nspname NOT LIKE 'pg\\_%'
  UNION ALL
  SELECT 'type', t.oid::int8::text, format('%I.%I', n.nspname, t.typname), t.typtype::text
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE t.oid > ${LAST_SYSTEM_OID} AND t.typtype IN ('e','d','r','m','c') AND t.typrelid = 0 AND n.nspname NOT LIKE 'pg\\_%'
  UNION ALL
  SELECT 'function', p.oid::int8::text, p.oid::regprocedure::text, p.prokind::text
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE p.oid > ${LAST_SYSTEM_OID} AND n.nspname NOT LIKE 'pg\\_%'`;

interface UserObject {
  kind: "extension" | "schema" | "relation" | "type" | "function";
  oid: string;
  name: string;
  relkind: string;
}

const DROP_ORDER: Array<[UserObject["kind"], (o: UserObject) => string]> = [
  ["extension", (o) => `DROP EXTENSION IF EXISTS ${o.name} CASCADE`],
  ["schema", (o) => `DROP SCHEMA IF EXISTS ${o.name} CASCADE`],
  ["relation", (o) => `DROP ${relationKeyword(o.relkind)} IF EXISTS ${o.name} CASCADE`],
  ["type", (o) => `DROP ${o.relkind === "d" ? "DOMAIN" : "TYPE"} IF EXISTS ${o.name} CASCADE`],
  ["function", (o) => `DROP ROUTINE IF EXISTS ${o.name} CASCADE`],
];

function relationKeyword(relkind: string): string {
  const keywords: Record<string, string> = { v: "VIEW", m: "MATERIALIZED VIEW", S: "SEQUENCE" };
  return keywords[relkind] ?? (relkind === "f" ? "FOREIGN TABLE" : "TABLE");
}

/**
 * Records the user objects there are now; the returned function drops every one created since. Drops
 * that fail (an object already gone with its schema or extension) are skipped.
 */
export async function trackCreatedObjects(shadow: Shadow): Promise<() => Promise<void>> {
  const key = (o: UserObject) => `${o.kind}:${o.oid}`;
  const before = new Set((await shadow.rows<UserObject>(OBJECTS_SQL)).map(key));
  return async () => {
    await shadow.exec("ROLLBACK").catch(() => {});
    const created = (await shadow.rows<UserObject>(OBJECTS_SQL)).filter((o) => !before.has(key(o)));
    for (const [kind, statement] of DROP_ORDER) {
      for (const object of created.filter((o) => o.kind === kind)) {
        await shadow.exec(statement(object)).catch(() => {});
      }
    }
  };
}
