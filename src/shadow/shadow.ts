/**
 * The shadow database plan traces migrations on: an embedded PGlite by default (./shadow-embedded.ts), or a
 * real, disposable server with --shadow-url (./shadow-server.ts). Both speak through this one interface, on
 * one session, so that pg_backend_pid() and the open transaction are the tracer's own.
 */

/** Oids up to this one belong to the system (FirstNormalObjectId - 1): user objects have larger ones. */
export const LAST_SYSTEM_OID = 16383;

export interface Shadow {
  readonly engine: "pglite" | "postgres";
  /** `server_version`, e.g. "18.1". */
  readonly serverVersion: string;
  /**
   * Runs SQL with the simple protocol (no parameters, any statements), returning each statement's rows.
   * Several statements in one call run as one round trip: the tracer sends a statement and the catalog
   * query that follows it together. Throws a ShadowError.
   */
  exec(sql: string): Promise<unknown[][]>;
  /** Runs one query and returns its rows. */
  rows<T>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

/** An error Postgres raised on the shadow, in the same shape for PGlite and postgres.js. */
export class ShadowError extends Error {
  override readonly name = "ShadowError";
  readonly code: string;
  /** 1-based character position in the statement text, when Postgres gave one. */
  readonly position: number | null;

  constructor(message: string, code: string, position: number | null) {
    super(message);
    this.code = code;
    this.position = position;
  }

  /** The same error for a statement sent after `characters` of other SQL (its position moves back). */
  shifted(characters: number): ShadowError {
    if (this.position === null || characters === 0) return this;
    const position = this.position > characters ? this.position - characters : null;
    return new ShadowError(this.message, this.code, position);
  }

  static from(error: unknown): ShadowError {
    if (error instanceof ShadowError) return error;
    const e = error as { message?: unknown; code?: unknown; position?: unknown };
    const position = Number(e?.position);
    return new ShadowError(
      typeof e?.message === "string" ? e.message : String(error),
      typeof e?.code === "string" ? e.code : "XX000",
      Number.isInteger(position) && position > 0 ? position : null,
    );
  }
}

/** Runs `fn`, turning whatever the driver throws into a ShadowError. */
export async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw ShadowError.from(error);
  }
}

/**
 * SQLSTATEs that mean the migration itself is wrong (a missing table or column, a bad cast, a syntax
 * error, data that violates a constraint): it would fail on the real database too. Anything else (a
 * feature or extension the shadow lacks, a missing role, a resource limit) says nothing about the
 * migration, so the step is only marked untraced.
 */
export function isMigrationError(error: ShadowError): boolean {
  const { code, message } = error;
  // Roles, tablespaces and privileges belong to the real server, not to the schema the migrations build.
  if (code === "42501" || /\b(role|tablespace)\b/.test(message)) return false;
  if (code.startsWith("42") || code.startsWith("22") || code.startsWith("23")) return true;
  // Dependent objects still exist (DROP without CASCADE).
  return code === "2BP01";
}
