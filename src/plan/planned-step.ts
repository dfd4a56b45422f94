/**
 * A step as plan shows it: the step with its trace, the trace compared with the static model. Locks are compared on table-like relations only (the locks that
 * decide what application queries wait for; index and sequence locks follow from them), strongest mode
 * per relation. Where the two disagree the trace is what plan shows, and the disagreement is listed.
 */
import { blocks, type LockMode, lockStrength, worstBlocks } from "../analysis/locks.js";
import { formatDuration } from "../duration.js";
import type { BackfillDirective } from "../sql/backfill.js";
import type { Step } from "../steps/step.js";
import { TABLE_LIKE } from "../trace/catalog.js";
import type { Resolved, StepTrace, TracedLock } from "../trace/tracer.js";
import type { PlanLock, PlannedBackfill, PlannedStatement, PlannedStep } from "./result.js";

/** The shadow's view of a relation the model names (null when the shadow has no such relation). */
export type Resolve = (relation: string) => Resolved | null;

export interface KeyedLock {
  relation: string;
  mode: LockMode;
}

/** Strongest mode per relation, keyed by oid where known (so that a rename does not count twice). */
function strongest(locks: Array<KeyedLock & { key: string }>): Map<string, KeyedLock> {
  const result = new Map<string, KeyedLock>();
  for (const { key, relation, mode } of locks) {
    const held = result.get(key);
    if (!held || lockStrength(mode) > lockStrength(held.mode)) result.set(key, { relation, mode });
  }
  return result;
}

/**
 * The model's locks on table-like relations. With a shadow, relations it does not have (an IF EXISTS
 * that found nothing) are left out: the trace shows what was there.
 */
function modelTableLocks(locks: KeyedLock[], resolve: Resolve | null): Map<string, KeyedLock> {
  return strongest(
    locks.flatMap((l) => {
      if (!resolve) return [{ ...l, key: l.relation }];
      const found = resolve(l.relation);
      return found && TABLE_LIKE.has(found.relkind) ? [{ ...l, relation: found.name, key: found.oid }] : [];
    }),
  );
}

function tracedTableLocks(locks: TracedLock[]): Map<string, KeyedLock> {
  return strongest(locks.filter((l) => TABLE_LIKE.has(l.relkind)).map((l) => ({ ...l, key: l.oid })));
}

/** Lock differences on table-like relations, one line each: `lock on orders: model ShareLock, trace ...`. */
export function lockDisagreements(model: KeyedLock[], traced: TracedLock[], resolve: Resolve): string[] {
  const expected = modelTableLocks(model, resolve);
  const actual = tracedTableLocks(traced);
  const lines: string[] = [];
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const m = expected.get(key);
    const t = actual.get(key);
    if (m?.mode !== t?.mode) {
      const relation = t?.relation ?? m?.relation;
      lines.push(`lock on ${relation}: model ${m?.mode ?? "none"}, trace ${t?.mode ?? "none"}`);
    }
  }
  return lines;
}

/**
 * A relation is existing (it may hold data and serve traffic) unless the model knows this migration
 * created it, or the trace saw this step create it. By the contract phase, what the expand phase created
 * is in use (a down part is a migration of its own: what it creates, it creates).
 */
function toPlanLocks(locks: Map<string, KeyedLock>, step: Step, created: string[]): PlanLock[] {
  return [...locks.values()].map(({ relation, mode }) => {
    const model = step.phase !== "contract" ? step.locks.find((l) => l.relation === relation) : undefined;
    return { relation, mode, existing: model?.existing ?? !created.includes(relation) };
  });
}

function plannedStatements(step: Step, trace: StepTrace): PlannedStatement[] {
  return trace.statements.map(({ locks, ...changes }, index) => ({
    sql: `${step.statements[index] ?? ""};`,
    locks: locks.filter((l) => TABLE_LIKE.has(l.relkind)).map(({ relation, mode }) => ({ relation, mode })),
    ...changes,
  }));
}

/**
 * The step as plan shows it: the model's step, with what the trace saw in its place where it ran (locks
 * from pg_locks inside a transaction, the rewrite flag from relfilenode).
 */
export function plannedStep(step: Step, trace: StepTrace | null, resolve: Resolve | null): PlannedStep {
  const modelLocks = step.locks.map(({ relation, mode }) => ({ relation, mode }));
  const ran = trace?.traced === true && resolve !== null;
  const created = trace?.traced ? trace.created : [];
  let locks = toPlanLocks(modelTableLocks(modelLocks, ran ? resolve : null), step, created);
  let rewrite = step.rewrite;
  const disagreements: string[] = [];
  if (trace?.traced && resolve) {
    if (trace.locks) {
      disagreements.push(...lockDisagreements(modelLocks, trace.locks, resolve));
      const traced = toPlanLocks(tracedTableLocks(trace.locks), step, created);
      // In the order of the statements, as the model lists them; what the model missed comes last.
      const order = (relation: string) => {
        const index = modelLocks.findIndex((l) => l.relation === relation);
        return index < 0 ? modelLocks.length : index;
      };
      locks = traced.sort((a, b) => order(a.relation) - order(b.relation));
    }
    const traceRewrites = trace.rewrites.length > 0;
    if (traceRewrites !== step.rewrite) {
      const seen = traceRewrites ? trace.rewrites.join(", ") : "none";
      disagreements.push(`rewrite: model ${step.rewrite ? "rewrites" : "none"}, trace ${seen}`);
    }
    rewrite = traceRewrites;
  }
  return {
    kind: step.kind,
    sql: `${step.statements.join(";\n")};`,
    transaction: step.transactional,
    locks,
    // What application traffic waits for: relations created by this migration have none yet.
    blocks: worstBlocks(locks.filter((l) => l.existing).map((l) => blocks(l.mode))),
    rewrite,
    scan: step.scan,
    rewrittenFrom: step.rewrittenFrom,
    traced: trace?.traced ?? false,
    reason: trace ? trace.reason : "not traced: no shadow database",
    line: step.line,
    column: step.column,
    created,
    dropped: trace?.traced ? trace.dropped : [],
    createdObjects: trace?.traced ? trace.createdObjects : [],
    droppedObjects: trace?.traced ? trace.droppedObjects : [],
    statements: trace?.traced ? plannedStatements(step, trace) : [],
    disagreements,
    estimate: null,
    ...(step.backfill ? { backfill: plannedBackfill(step.backfill) } : {}),
  };
}

function plannedBackfill(directive: BackfillDirective): PlannedBackfill {
  return {
    table: directive.relation,
    key: directive.key,
    batch: directive.batch,
    pause: directive.pauseMs === 0 ? "0" : formatDuration(directive.pauseMs),
    set: directive.set,
    where: directive.where,
    estimatedRows: null,
  };
}
