/**
 * The statement model for a catalogued case, and its comparison with what Postgres did.
 */
import { Analyzer } from "../../src/analysis/analyze.js";
import { LOCK_MODES, type LockMode, lockStrength } from "../../src/analysis/locks.js";
import type { StatementEffects } from "../../src/analysis/model.js";
import type { StatementCase } from "../catalogue/statements.js";
import { migrationFromSql } from "../support/lint.js";
import type { Observation, PgRelation } from "./observe.js";

/** pg_class.relkind of relations whose locks are compared: tables, partitioned tables, matviews, views, foreign tables. */
const TABLE_LIKE = new Set(["r", "p", "m", "v", "f"]);

/** Statements whose scans are those of a query (the rows they read or change), not validation scans. */
const QUERY_KINDS = new Set([
  "InsertStmt",
  "UpdateStmt",
  "DeleteStmt",
  "MergeStmt",
  "CreateTableAsStmt",
  "ViewStmt",
]);

export type Aspect = "lock" | "rewrite" | "scan" | "index build" | "transactional" | "relation";

export interface Difference {
  aspect: Aspect;
  relation: string;
  model: string;
  postgres: string;
}

/**
 * The model's description of the case's statement: the setup is analysed as an earlier migration (so
 * its tables count as existing, with their columns and constraints known), the statement as the next.
 */
export function modelEffects(testCase: StatementCase, pgMajor: number): StatementEffects {
  const analyzer = new Analyzer(pgMajor);
  if (testCase.setup.length > 0) {
    analyzer.analyze(migrationFromSql(`${testCase.setup.join(";\n")};\n`, 1));
  }
  const earlier = testCase.earlierInTransaction ?? [];
  const file = analyzer.analyze(
    migrationFromSql([...earlier, testCase.sql].map((s) => `${s};\n`).join(""), 2),
  );
  const statement = file.statements.at(-1);
  if (!statement || file.statements.length !== earlier.length + 1)
    throw new Error(`case "${testCase.name}": sql must be one statement`);
  if (statement.effects.kind === "Invalid") throw new Error(`case "${testCase.name}": sql does not parse`);
  if (statement.transaction !== file.statements[0]?.transaction)
    throw new Error(
      `case "${testCase.name}": the model does not run earlierInTransaction in one transaction`,
    );
  return withEarlierLocks(
    statement.effects,
    file.statements.slice(0, -1).map((s) => s.effects),
  );
}

/** The statement's effects with the locks and rewrites of the statements before it in its transaction. */
function withEarlierLocks(effects: StatementEffects, earlier: StatementEffects[]): StatementEffects {
  if (earlier.length === 0) return effects;
  const locks = effects.locks.map((l) => ({ ...l }));
  for (const lock of earlier.flatMap((e) => e.locks)) {
    const held = locks.find((l) => l.relation === lock.relation);
    if (held) held.mode = strongest([held.mode, lock.mode]) as LockMode;
    else locks.push({ ...lock });
  }
  const rewrites = [...new Set([...earlier.flatMap((e) => e.rewrites), ...effects.rewrites])];
  return { ...effects, locks, rewrites };
}

/** Every relation name the model mentions, to resolve to oids around the statement. */
export function modelRelationNames(effects: StatementEffects): string[] {
  const names = [
    ...effects.locks.map((l) => l.relation),
    ...effects.rewrites,
    ...effects.scans,
    ...(effects.target ? [effects.target] : []),
  ];
  return [...new Set(names.filter(Boolean))];
}

function strongest(modes: string[]): string {
  return modes.reduce((a, b) => (lockStrength(b as LockMode) > lockStrength(a as LockMode) ? b : a));
}

function relationOf(observation: Observation, oid: number): PgRelation | undefined {
  return observation.before.get(oid) ?? observation.after.get(oid);
}

export function compare(
  testCase: StatementCase,
  effects: StatementEffects,
  observation: Observation,
): Difference[] {
  const differences: Difference[] = [];
  const transactional = testCase.inTransaction !== false;

  // Transactionality: the case runs in a transaction block unless it is marked otherwise, and such cases
  // must be rejected by Postgres with 25001 (active_sql_transaction), or for a block that commits, 2D000
  // (invalid_transaction_termination).
  if (effects.transactional !== transactional) {
    differences.push({
      aspect: "transactional",
      relation: "-",
      model: String(effects.transactional),
      postgres: String(transactional),
    });
  }
  if (!transactional && !["25001", "2D000"].includes(observation.rejectedInTransaction ?? "")) {
    differences.push({
      aspect: "transactional",
      relation: "-",
      model: String(effects.transactional),
      postgres: `in a transaction block: ${observation.rejectedInTransaction ?? "accepted"}`,
    });
  }

  // Names the model uses must be relations Postgres knows.
  const oidOf = (name: string) => observation.oidOf.get(name) ?? null;
  for (const name of modelRelationNames(effects)) {
    if (oidOf(name) === null) {
      differences.push({ aspect: "relation", relation: name, model: "named", postgres: "no such relation" });
    }
  }

  // Locks: the strongest mode per table-like relation, both ways.
  const modelLocks = new Map<number, string>();
  for (const lock of effects.locks) {
    const oid = oidOf(lock.relation);
    if (oid === null || !TABLE_LIKE.has(relationOf(observation, oid)?.relkind ?? "")) continue;
    modelLocks.set(oid, strongest([lock.mode, modelLocks.get(oid) ?? LOCK_MODES[0]]));
  }
  const pgLocks = new Map<number, string>();
  for (const [oid, held] of observation.locks) {
    if (!TABLE_LIKE.has(relationOf(observation, oid)?.relkind ?? "")) continue;
    pgLocks.set(oid, strongest(held.map((l) => l.mode)));
  }
  for (const oid of new Set([...modelLocks.keys(), ...pgLocks.keys()])) {
    const model = modelLocks.get(oid) ?? "-";
    const postgres = pgLocks.get(oid) ?? "-";
    if (model !== postgres) {
      const waiting = observation.locks.get(oid)?.some((l) => !l.granted) ? " (waiting)" : "";
      differences.push({
        aspect: "lock",
        relation: relationOf(observation, oid)?.name ?? String(oid),
        model,
        postgres: postgres + waiting,
      });
    }
  }

  // Rewrites: a relation that existed before and after with a new relfilenode.
  const modelRewrites = new Set(effects.rewrites.map(oidOf).filter((o): o is number => o !== null));
  const rewritten = new Set<number>();
  for (const [oid, before] of observation.before) {
    const after = observation.after.get(oid);
    if (!after || before.filenode === null || !TABLE_LIKE.has(before.relkind)) continue;
    const changed = before.filenode !== after.filenode;
    if (changed) rewritten.add(oid);
    if (changed !== modelRewrites.has(oid)) {
      differences.push({
        aspect: "rewrite",
        relation: before.name,
        model: String(modelRewrites.has(oid)),
        postgres: String(changed),
      });
    }
  }

  // Validation scans, on the statement's own relations (its target, what the model says it scans, what it
  // locks ACCESS EXCLUSIVE), where nothing is rewritten (a rewrite reads the table anyway).
  if (observation.scans && !QUERY_KINDS.has(effects.kind)) {
    const modelScans = new Set(effects.scans.map(oidOf).filter((o): o is number => o !== null));
    const candidates = new Set(
      [
        effects.target,
        ...effects.scans,
        ...effects.locks.filter((l) => l.mode === "AccessExclusiveLock").map((l) => l.relation),
      ]
        .filter((n): n is string => Boolean(n))
        .map(oidOf),
    );
    for (const oid of candidates) {
      if (oid === null || modelRewrites.has(oid) || rewritten.has(oid)) continue;
      const before = observation.before.get(oid);
      if (!before || !observation.after.has(oid) || !["r", "m"].includes(before.relkind)) continue;
      const scanned = (observation.scans.get(oid) ?? 0) > 0;
      if (scanned !== modelScans.has(oid)) {
        differences.push({
          aspect: "scan",
          relation: before.name,
          model: String(modelScans.has(oid)),
          postgres: String(scanned),
        });
      }
    }
  }

  // Index builds: an index on a relation that existed before got new storage (a new index, or a rebuilt
  // one), not as part of a rewrite of its table.
  const built = [...observation.after.values()].filter((index) => {
    if (index.relkind !== "i" || index.indexOf === null) return false;
    if (!observation.before.has(index.indexOf) || rewritten.has(index.indexOf)) return false;
    return observation.before.get(index.oid)?.filenode !== index.filenode;
  });
  if (built.length > 0 !== effects.buildsIndex) {
    differences.push({
      aspect: "index build",
      relation: built.map((i) => i.name).join(", ") || "-",
      model: String(effects.buildsIndex),
      postgres: String(built.length > 0),
    });
  }
  return differences;
}

/** A plain-text table, for failure messages. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.map(line)].join("\n");
}
