/**
 * Reading a stats file (`safemigrate stats`): validated field by field, refused when older than
 * statsMaxAge, and turned into the sizes and INVALID indexes the live context would read from the database.
 * Every problem is one `UsageError` line naming the file and, where it applies, the field.
 */
import { readFile } from "node:fs/promises";
import type { CatalogPartitionedTable } from "../analysis/model.js";
import type { MigrationRecord } from "../db/history.js";
import type { RelationSize } from "../db/sizes.js";
import {
  STATS_VERSION,
  type StatsFile,
  type StatsHistory,
  type StatsIndex,
  type StatsMigration,
  type StatsTable,
} from "../db/stats.js";
import { formatDuration } from "../duration.js";
import { errorMessage, UsageError } from "../errors.js";
import { formatSeconds } from "./estimate.js";
import type { InvalidIndex } from "./result.js";

export interface StatsFileOptions {
  /** A file generated longer ago than this (ms) is refused. */
  maxAgeMs: number;
  now?: Date;
}

/** Reads, validates and age-checks the stats file at `path` (shown as given). */
export async function loadStatsFile(path: string, options: StatsFileOptions): Promise<StatsFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${path}: ${code === "ENOENT" ? "no such file" : errorMessage(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path}: invalid JSON: ${errorMessage(error).split("\n")[0]}`);
  }
  const stats = validateStats(json, path);
  const now = options.now ?? new Date();
  const age = now.getTime() - Date.parse(stats.generatedAt);
  if (age > options.maxAgeMs) {
    throw new UsageError(
      `${path}: generated ${ageText(age)} ago (${stats.generatedAt}), older than statsMaxAge ${formatDuration(options.maxAgeMs)}: export it again with safemigrate stats`,
    );
  }
  return stats;
}

/** An age in days (one decimal) from a day on, else as the estimates write durations. */
function ageText(ms: number): string {
  return ms >= 86_400_000 ? `${(ms / 86_400_000).toFixed(1)} days` : formatSeconds(ms / 1000);
}

type Fields = Record<string, unknown>;

function describe(value: unknown): string {
  return typeof value === "string" ? `'${value}'` : (JSON.stringify(value) ?? String(value));
}

function object(value: unknown, label: string): Fields {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new UsageError(`${label}: expected an object, got ${describe(value)}`);
  return value as Fields;
}

function array(value: unknown, label: string): unknown[] {
  if (!Array.isArray(value)) throw new UsageError(`${label}: expected an array, got ${describe(value)}`);
  return value;
}

function string(value: unknown, label: string): string {
  if (typeof value !== "string") throw new UsageError(`${label}: expected a string, got ${describe(value)}`);
  return value;
}

function strings(value: unknown, label: string): string[] {
  return array(value, label).map((v, i) => string(v, `${label}[${i}]`));
}

function count(value: unknown, label: string, nullable: boolean): number | null {
  if (nullable && value === null) return null;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    const expected = nullable ? "a number >= 0 or null" : "a number >= 0";
    throw new UsageError(`${label}: expected ${expected}, got ${describe(value)}`);
  }
  return value;
}

function nullableString(value: unknown, label: string): string | null {
  return value === null ? null : string(value, label);
}

const TABLE_KINDS: readonly StatsTable["kind"][] = ["table", "partitioned table", "materialized view"];

/** The stats file in `json`, or a `UsageError` naming the first field that is missing or of the wrong type. */
export function validateStats(json: unknown, file: string): StatsFile {
  const root = object(json, file);
  const at = (field: string) => `${file}: ${field}`;
  if (root.version !== STATS_VERSION) {
    throw new UsageError(
      `${at("version")}: expected ${STATS_VERSION} (a stats file written by safemigrate stats), got ${describe(root.version)}`,
    );
  }
  const generatedAt = time(root.generatedAt, at("generatedAt"), false) as string;
  const major = count(root.major, at("major"), false) as number;
  if (!Number.isInteger(major)) throw new UsageError(`${at("major")}: expected an integer, got ${major}`);
  return {
    version: STATS_VERSION,
    generatedAt,
    database: string(root.database, at("database")),
    serverVersion: string(root.serverVersion, at("serverVersion")),
    major,
    tables: array(root.tables, at("tables")).map((t, i) => table(t, at(`tables[${i}]`))),
    partitionedTables: array(root.partitionedTables, at("partitionedTables")).map((p, i) =>
      partitioned(p, at(`partitionedTables[${i}]`)),
    ),
    history: history(root.history, at("history")),
  };
}

function history(value: unknown, label: string): StatsHistory {
  const h = object(value, label);
  const steps = object(h.steps, `${label}.steps`);
  return {
    schema: string(h.schema, `${label}.schema`),
    migrations: array(h.migrations, `${label}.migrations`).map((m, i) =>
      migration(m, `${label}.migrations[${i}]`),
    ),
    steps: Object.fromEntries(
      Object.entries(steps).map(([key, hashes]) => [key, strings(hashes, `${label}.steps.${key}`)]),
    ),
  };
}

const MIGRATION_TIMES = [
  "expandStartedAt",
  "expandCompletedAt",
  "contractCompletedAt",
  "rollbackStartedAt",
] as const;

function migration(value: unknown, label: string): StatsMigration {
  const m = object(value, label);
  const times = MIGRATION_TIMES.map((key) => [key, time(m[key], `${label}.${key}`)] as const);
  return {
    version: string(m.version, `${label}.version`),
    name: string(m.name, `${label}.name`),
    ...(Object.fromEntries(times) as Record<(typeof MIGRATION_TIMES)[number], string | null>),
  };
}

/** An ISO 8601 time (or null, where `nullable`). */
function time(value: unknown, label: string, nullable = true): string | null {
  if (nullable && value === null) return null;
  const text = string(value, label);
  if (!/^\d{4}-\d\d-\d\dT/.test(text) || Number.isNaN(Date.parse(text)))
    throw new UsageError(
      `${label}: expected an ISO 8601 time${nullable ? " or null" : ""}, got ${describe(text)}`,
    );
  return text;
}

function table(value: unknown, label: string): StatsTable {
  const t = object(value, label);
  const kind = string(t.kind, `${label}.kind`);
  if (!(TABLE_KINDS as readonly string[]).includes(kind))
    throw new UsageError(`${label}.kind: expected one of ${TABLE_KINDS.join(", ")}, got '${kind}'`);
  return {
    name: string(t.name, `${label}.name`),
    kind: kind as StatsTable["kind"],
    parent: nullableString(t.parent, `${label}.parent`),
    rows: count(t.rows, `${label}.rows`, true),
    totalBytes: count(t.totalBytes, `${label}.totalBytes`, true),
    tableBytes: count(t.tableBytes, `${label}.tableBytes`, true),
    indexes: array(t.indexes, `${label}.indexes`).map((x, i) => index(x, `${label}.indexes[${i}]`)),
  };
}

function index(value: unknown, label: string): StatsIndex {
  const x = object(value, label);
  if (typeof x.valid !== "boolean")
    throw new UsageError(`${label}.valid: expected true or false, got ${describe(x.valid)}`);
  return {
    name: string(x.name, `${label}.name`),
    bytes: count(x.bytes, `${label}.bytes`, false) as number,
    definition: nullableString(x.definition, `${label}.definition`),
    valid: x.valid,
  };
}

function partitioned(value: unknown, label: string): CatalogPartitionedTable {
  const p = object(value, label);
  return {
    table: string(p.table, `${label}.table`),
    key: p.key === null ? null : strings(p.key, `${label}.key`),
    partitions: strings(p.partitions, `${label}.partitions`),
    notNull: strings(p.notNull, `${label}.notNull`),
  };
}

/**
 * The sizes of `relations` (display names), as the live context reads them: a relation the file does not
 * list did not exist when it was exported, and has no size.
 */
export function statsSizes(stats: StatsFile, relations: string[]): Record<string, RelationSize> {
  const byName = new Map(stats.tables.map((t) => [t.name, t]));
  const sizes: Record<string, RelationSize> = {};
  for (const name of new Set(relations)) {
    const t = byName.get(name);
    sizes[name] = t
      ? { rows: t.rows, totalBytes: t.totalBytes, tableBytes: t.tableBytes }
      : { rows: null, totalBytes: null, tableBytes: null };
  }
  return sizes;
}

/** The INVALID indexes the file lists on `relations`, ordered as the live context orders them. */
export function statsInvalidIndexes(stats: StatsFile, relations: string[]): InvalidIndex[] {
  const wanted = new Set(relations);
  return stats.tables
    .filter((t) => wanted.has(t.name))
    .flatMap((t) => t.indexes.filter((i) => !i.valid).map((i) => ({ index: i.name, table: t.name })))
    .sort((a, b) => (a.table === b.table ? (a.index < b.index ? -1 : 1) : a.table < b.table ? -1 : 1));
}

/**
 * The history the file holds, as plan reads it from a database: the phases it records as applied are
 * replayed, the others planned. What the file does not keep (checksums, durations, failures) is unknown.
 */
export function statsRecords(stats: StatsFile): Map<string, MigrationRecord> {
  const date = (iso: string | null) => (iso === null ? null : new Date(iso));
  return new Map(
    stats.history.migrations.map((m) => [
      m.version,
      {
        version: m.version,
        name: m.name,
        checksum: "",
        file: null,
        expandStartedAt: date(m.expandStartedAt),
        expandCompletedAt: date(m.expandCompletedAt),
        contractStartedAt: null,
        contractCompletedAt: date(m.contractCompletedAt),
        expandDurationMs: null,
        contractDurationMs: null,
        appliedBy: null,
        baseline: false,
        rollbackStartedAt: date(m.rollbackStartedAt),
        rolledBackAt: null,
        failedAt: null,
        error: null,
      },
    ]),
  );
}
