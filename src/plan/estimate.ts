/**
 * How long a step that rewrites or scans will hold its lock, from the live size of what it reads. A
 * deliberately simple throughput model (docs/plan.md): the point is the order of magnitude (a second or
 * an hour), not the exact figure, which depends on disks, cache, WAL settings and concurrent load.
 */
import type { DurationEstimate, PlannedStep, RelationSize } from "./result.js";

const MiB = 1024 * 1024;

/** Bytes per second. A rewrite writes the heap and rebuilds every index (and WAL-logs both). */
const RATES = {
  rewrite: 40 * MiB,
  /** Building an index: reading the heap and sorting. A concurrent build reads the table twice. */
  indexBuild: 60 * MiB,
  /** A validation scan only reads the heap. */
  scan: 150 * MiB,
} as const;

export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 || unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 1) return "under 1 s";
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export interface EstimateInput {
  step: PlannedStep;
  /** The relations the step rewrites or reads in full. */
  relations: string[];
  /** The step builds an index (CREATE INDEX, REINDEX, a unique or primary key constraint). */
  buildsIndex: boolean;
  sizes: Record<string, RelationSize>;
}

/** Null for steps that neither rewrite nor scan, and when no size is known. */
export function estimateDuration(input: EstimateInput): DurationEstimate | null {
  const { step, relations, buildsIndex, sizes } = input;
  if (!step.rewrite && !step.scan) return null;
  const kind = step.rewrite ? "rewrite" : buildsIndex ? "indexBuild" : "scan";
  const passes = kind === "indexBuild" && !step.transaction ? 2 : 1;
  let seconds = 0;
  const parts: string[] = [];
  for (const relation of relations) {
    const size = sizes[relation];
    const bytes = kind === "rewrite" ? size?.totalBytes : size?.tableBytes;
    if (bytes === null || bytes === undefined) continue;
    seconds += (bytes * passes) / RATES[kind];
    parts.push(`${relation} (${formatBytes(bytes)})`);
  }
  if (parts.length === 0) return null;
  const verb = { rewrite: "rewrites", indexBuild: "builds an index on", scan: "scans" }[kind];
  const pass = passes > 1 ? `, ${passes} passes` : "";
  const rate = `${formatBytes(RATES[kind])}/s${pass}`;
  return { seconds: Math.round(seconds * 10) / 10, basis: `${verb} ${parts.join(", ")} at ${rate}` };
}
