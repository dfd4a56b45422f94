/**
 * `--shadow-url`: trace on a real, disposable Postgres (for extensions PGlite lacks, or the exact server
 * version). Plan refuses a database that already has tables of its own, so that it can never replay
 * migrations into a database that matters, and on close it drops what the replay and trace created, so
 * that the same database serves the next plan.
 */
import postgres from "postgres";
import { redact } from "../config/redact.js";
import { errorMessage, UsageError } from "../errors.js";
import { trackCreatedObjects } from "./cleanup.js";
import { guarded, type Shadow } from "./shadow.js";

async function existingTables(sql: postgres.Sql): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`
    SELECT format('%s.%s', n.nspname, c.relname) AS name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'm', 'f') AND n.nspname NOT LIKE 'pg\\_%'
      AND n.nspname <> 'information_schema'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
    ORDER BY 1 LIMIT 6`;
  return rows.map((r) => r.name);
}

/** The oldest server the tracer reads correctly (pg_describe_object of a dropped object is NULL from 14). */
const MIN_SERVER_VERSION_NUM = 140000;

/** Refuses a server older than Postgres 14, naming its version. */
export function checkShadowVersion(versionNum: number, version: string): void {
  if (versionNum < MIN_SERVER_VERSION_NUM)
    throw new UsageError(`--shadow-url: the shadow database needs Postgres 14 or later (it runs ${version})`);
}

export async function openServerShadow(url: string): Promise<Shadow> {
  const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10, idle_timeout: 0 });
  const shadow: Shadow = {
    engine: "postgres",
    serverVersion: "unknown",
    exec: (text) =>
      guarded(async () => {
        // postgres.js returns the rows of a single statement, and an array of those for several.
        const result = (await sql.unsafe(text)) as unknown[];
        return Array.isArray(result[0]) ? (result as unknown[][]) : [result];
      }),
    rows: <T>(text: string) => guarded(async () => (await sql.unsafe(text)) as unknown as T[]),
    close: () => sql.end({ timeout: 5 }),
  };
  let dropCreated: () => Promise<void>;
  let serverVersion = "unknown";
  try {
    const [row] = await shadow.rows<{ version: string; num: string }>(
      "SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num",
    );
    serverVersion = row?.version ?? serverVersion;
    checkShadowVersion(Number(row?.num ?? 0), serverVersion);
    const tables = await existingTables(sql);
    if (tables.length > 0) {
      const names = tables.slice(0, 5).join(", ") + (tables.length > 5 ? ", ..." : "");
      throw new UsageError(
        `--shadow-url: the database already has tables (${names}); give an empty, disposable database`,
      );
    }
    dropCreated = await trackCreatedObjects(shadow);
  } catch (error) {
    await sql.end({ timeout: 1 });
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--shadow-url: cannot use the database: ${redact(errorMessage(error))}`);
  }
  return {
    ...shadow,
    serverVersion,
    close: async () => {
      try {
        await dropCreated();
      } finally {
        await sql.end({ timeout: 5 });
      }
    },
  };
}
