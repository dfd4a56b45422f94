/**
 * Catalog checks around non-transactional steps, which make them safe to run again after a crash: an
 * interrupted CREATE INDEX CONCURRENTLY leaves an INVALID index behind, an interrupted REINDEX
 * CONCURRENTLY leaves `_ccnew` copies, and a DROP INDEX CONCURRENTLY that finished unrecorded leaves nothing
 * to drop.
 */
import type { ReservedSql } from "../db/connect.js";
import { dropInvalidIndex, dropReindexLeftovers, indexState } from "../db/introspect.js";
import type { Step } from "../steps/step.js";

export interface GuardResult {
  /** Why the statement need not run (it is done already); null to run it. */
  skip: string | null;
  /** INVALID leftovers dropped before the attempt. */
  dropped: string[];
}

/** `resumed`: an earlier attempt of this step started (in this run or one that was killed). */
export async function guardBefore(conn: ReservedSql, step: Step, resumed: boolean): Promise<GuardResult> {
  const index = step.index;
  if (!index) return { skip: null, dropped: [] };
  if (step.kind === "create-index-concurrently") {
    const state = await indexState(conn, index.schema, index.name);
    if (state.exists && state.valid && resumed)
      return { skip: `index ${index.name} exists and is valid`, dropped: [] };
    const dropped = (await dropInvalidIndex(conn, index.schema, index.name)) ? [index.name] : [];
    return { skip: null, dropped };
  }
  if (step.guard === "drop-index" && resumed) {
    const state = await indexState(conn, index.schema, index.name);
    if (!state.exists) return { skip: `index ${index.name} is already gone`, dropped: [] };
  }
  if (step.guard === "reindex-index") {
    return { skip: null, dropped: await dropReindexLeftovers(conn, index.schema, index.name) };
  }
  return { skip: null, dropped: [] };
}

/** A concurrent build can end without error yet leave the index INVALID: that is a failure, cleaned up. */
export async function guardAfter(conn: ReservedSql, step: Step): Promise<void> {
  const index = step.index;
  if (step.kind !== "create-index-concurrently" || !index) return;
  const state = await indexState(conn, index.schema, index.name);
  if (state.exists && !state.valid) {
    await dropInvalidIndex(conn, index.schema, index.name);
    throw new Error(`index ${index.name} was left INVALID by its concurrent build and has been dropped`);
  }
}

/** A failed concurrent build leaves an INVALID index: dropped now, so that a failed run leaves nothing half-made. */
export async function cleanupAfterFailure(conn: ReservedSql, step: Step): Promise<void> {
  if (step.kind !== "create-index-concurrently" || !step.index) return;
  await dropInvalidIndex(conn, step.index.schema, step.index.name).catch(() => {});
}
