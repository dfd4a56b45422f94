/**
 * What a statement or a step changed in the shadow's catalog: tables rewritten, relations and other
 * catalog objects created and dropped. The tracer keeps the catalog as it stands (CatalogState), updates
 * it from what it reads after each statement, and compares.
 */
import { addedBetween, type Classes, isRewrite, rewrittenBetween, type TransactionState } from "./catalog.js";
import { type CatalogObjects, objectsAddedBetween } from "./objects.js";

export interface CatalogState {
  classes: Classes;
  objects: CatalogObjects;
}

export interface Changes {
  /** Tables that existed before and got a new relfilenode. */
  rewrites: string[];
  /** Relations created and dropped. */
  created: string[];
  dropped: string[];
  /** Other catalog objects created and dropped, as Postgres describes them (./objects.ts). */
  createdObjects: string[];
  droppedObjects: string[];
}

export function noChanges(): Changes {
  return { rewrites: [], created: [], dropped: [], createdObjects: [], droppedObjects: [] };
}

export function copyState(state: CatalogState): CatalogState {
  return { classes: new Map(state.classes), objects: new Map(state.objects) };
}

/**
 * What changed from `before` to `after`, by oid (a rename is neither created nor dropped). An object
 * created and dropped in between is neither; a table created and then rewritten is not a rewrite.
 */
export function changesBetween(before: CatalogState, after: CatalogState): Changes {
  return {
    rewrites: rewrittenBetween(before.classes, after.classes),
    created: addedBetween(before.classes, after.classes),
    dropped: addedBetween(after.classes, before.classes),
    createdObjects: objectsAddedBetween(before.objects, after.objects),
    droppedObjects: objectsAddedBetween(after.objects, before.objects),
  };
}

const byOid = (a: { oid: string }, b: { oid: string }) => Number(a.oid) - Number(b.oid);

/**
 * Applies the state read right after a statement to `current` (the transaction's catalog so far) and returns what that statement changed. The state holds
 * the pg_class rows of every relation the transaction locked so far:
 * only rows that differ from `current` are the statement's. A lock on a relation without a pg_class row
 * is a relation dropped (locks and rows in oid order: the catalog lists them in its storage order).
 */
export function applyState(current: CatalogState, state: TransactionState): Changes {
  const changes = noChanges();
  for (const row of [...state.locked].sort(byOid)) {
    const known = current.classes.get(row.oid);
    if (!known) changes.created.push(row.name);
    else if (isRewrite(known, row)) changes.rewrites.push(row.name);
    current.classes.set(row.oid, row);
  }
  for (const lock of [...state.locks.values()].sort(byOid)) {
    const known = current.classes.get(lock.oid);
    if (lock.name === null && known) {
      changes.dropped.push(known.name);
      current.classes.delete(lock.oid);
    }
  }
  for (const [key, description] of state.objects) {
    if (current.objects.has(key)) continue;
    changes.createdObjects.push(description);
    current.objects.set(key, description);
  }
  for (const key of state.droppedObjects) {
    const description = current.objects.get(key);
    if (description === undefined) continue;
    changes.droppedObjects.push(description);
    current.objects.delete(key);
  }
  return changes;
}
