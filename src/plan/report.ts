/**
 * The plan report: the version 1 JSON contract of docs/plan.md and the design (contract fields first, in
 * contract order; fields after them are additions, never renames). `plan --format json` prints it, and the
 * programmatic API returns it.
 */
import { contractFinding } from "../analysis/lint.js";
import { SHADOW_FAILURE_RULE } from "./findings.js";
import type { PlannedMigration, PlannedStep, PlanResult } from "./result.js";

export interface PlanSummary {
  migrations: number;
  steps: number;
  traced: number;
  blocksWrites: number;
  blocksReadsWrites: number;
  rewrites: number;
  /** Statements that fail on the shadow (the migration is wrong). */
  failures: number;
  disagreements: number;
  /** Statements whose effects the model does not prove (each is a `not-modelled` or `dynamic-sql` finding). */
  unmodelled: number;
}

export function planSummary(result: PlanResult): PlanSummary {
  const steps = result.migrations.flatMap((m) => m.steps);
  return {
    migrations: new Set(result.migrations.map((m) => m.version)).size,
    steps: steps.length,
    traced: steps.filter((s) => s.traced).length,
    blocksWrites: steps.filter((s) => s.blocks === "writes").length,
    blocksReadsWrites: steps.filter((s) => s.blocks === "reads+writes").length,
    rewrites: steps.filter((s) => s.rewrite).length,
    failures: planFailures(result),
    disagreements: steps.reduce((n, s) => n + s.disagreements.length, 0),
    unmodelled: result.migrations.reduce((n, m) => n + m.unmodelled, 0),
  };
}

/** A statement fails on the shadow and fails-on-postgres is an error: plan exits 1. */
export function planFails(result: PlanResult): boolean {
  return result.migrations.some((m) =>
    m.findings.some((f) => f.rule === SHADOW_FAILURE_RULE && f.severity === "error"),
  );
}

function planFailures(result: PlanResult): number {
  return result.migrations.reduce(
    (n, m) => n + m.findings.filter((f) => f.rule === SHADOW_FAILURE_RULE).length,
    0,
  );
}

function stepJson(step: PlannedStep) {
  return {
    sql: step.sql,
    transaction: step.transaction,
    locks: step.locks.map(({ relation, mode, existing }) => ({ relation, mode, existing })),
    blocks: step.blocks,
    rewrite: step.rewrite,
    scan: step.scan,
    rewrittenFrom: step.rewrittenFrom,
    traced: step.traced,
    kind: step.kind,
    line: step.line,
    column: step.column,
    reason: step.reason,
    created: step.created,
    dropped: step.dropped,
    createdObjects: step.createdObjects,
    droppedObjects: step.droppedObjects,
    statements: step.statements,
    disagreements: step.disagreements,
    estimate: step.estimate,
    ...(step.backfill ? { backfill: step.backfill } : {}),
  };
}

function migrationJson(m: PlannedMigration) {
  return {
    version: m.version,
    name: m.name,
    file: m.file,
    phase: m.phase,
    steps: m.steps.map(stepJson),
    findings: m.findings.map(contractFinding),
    unmodelled: m.unmodelled,
  };
}

export function planReport(result: PlanResult) {
  return {
    version: 1 as const,
    migrations: result.migrations.map(migrationJson),
    summary: planSummary(result),
    pgVersion: result.pgVersion,
    shadow: result.shadow,
    live: result.live,
    notices: result.notices,
    stats: result.stats,
  };
}

export type PlanReport = ReturnType<typeof planReport>;
