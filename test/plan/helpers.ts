/**
 * Test helpers for plan: one embedded shadow per test file, reset between plans (booting PGlite costs
 * seconds), and migration directories written to a temporary directory.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { type PlanOptions, plan } from "../../src/plan/plan.js";
import type { PlannedMigration, PlanResult } from "../../src/plan/result.js";
import { trackCreatedObjects } from "../../src/shadow/cleanup.js";
import { openEmbeddedShadowHere } from "../../src/shadow/embedded.js";
import type { Shadow } from "../../src/shadow/shadow.js";

/** Contrib extensions the test shadows load (PGlite loads extensions only at start). */
export const TEST_EXTENSIONS = ["citext", "pg_trgm", "pgcrypto", "hstore"];

export interface SharedShadow {
  /** For PlanOptions.openShadow: the shared shadow, put back as it was when the plan closes it. */
  open(): Promise<Shadow>;
  close(): Promise<void>;
}

/** Wraps a shadow so that closing it drops what was created since and resets the session instead. */
export async function reusable(base: Shadow): Promise<SharedShadow> {
  return {
    async open() {
      const reset = await trackCreatedObjects(base);
      return {
        ...base,
        close: async () => {
          await reset();
          await base.exec("RESET ALL");
        },
      };
    },
    close: () => base.close(),
  };
}

/** The schema most hand-made histories start from (their first migration). */
export const USERS = `CREATE TABLE users (id bigint PRIMARY KEY, email text, org_id bigint);
CREATE TABLE orgs (id bigint PRIMARY KEY);`;

/** One shared embedded shadow for the test file: opened before its tests, closed after them. */
export function useSharedShadow(): () => SharedShadow {
  let shadow: SharedShadow | undefined;
  beforeAll(async () => {
    shadow = await sharedEmbeddedShadow();
  });
  afterAll(() => shadow?.close());
  return () => shadow as SharedShadow;
}

export async function sharedEmbeddedShadow(): Promise<SharedShadow> {
  return reusable(await openEmbeddedShadowHere({ extensions: TEST_EXTENSIONS }));
}

/** Writes `files` (name -> SQL) to a new temporary directory; `remove()` deletes it. */
export async function migrationDir(
  files: Record<string, string>,
): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), "sm-plan-"));
  for (const [name, text] of Object.entries(files)) await writeFile(join(path, name), text);
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Plans SQL files given inline (named 001_a.sql, 002_b.sql, ... in order) on the shared shadow. */
export async function planFiles(
  shadow: SharedShadow,
  sql: string[],
  options: Partial<PlanOptions> = {},
): Promise<PlanResult> {
  const files = Object.fromEntries(
    sql.map((text, i) => [`${String(i + 1).padStart(3, "0")}_m${i + 1}.sql`, text]),
  );
  const dir = await migrationDir(files);
  try {
    return await plan({ path: dir.path, openShadow: () => shadow.open(), ...options });
  } finally {
    await dir.remove();
  }
}

/** The planned entry of migration number `n` (1-based) and phase. */
export function entry(result: PlanResult, n: number, phase = "expand"): PlannedMigration {
  const version = String(n).padStart(3, "0");
  const found = result.migrations.find((m) => m.version === version && m.phase === phase);
  if (!found) throw new Error(`no planned ${phase} phase for migration ${version}`);
  return found;
}
