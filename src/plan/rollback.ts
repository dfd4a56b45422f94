/**
 * What `rollback` undoes, shared by the runner and `plan --rollback` (docs/rollback.md): the applied
 * migrations after `--to` (without it, the newest applied one), newest first, each with its down part,
 * linted after the history it undoes; everything the rollback must refuse, refused before anything runs.
 */
import { type FileResult, type LintOptions, lintMigrations } from "../analysis/lint.js";
import type { MigrationRecord } from "../db/history.js";
import { Refused } from "../errors.js";
import { downPartNames, readDownPart } from "../migrations/down.js";
import { type Migration, selectUpTo, sqlMigrations } from "../migrations/migration.js";
import { buildSteps } from "../steps/steps.js";
import { type PhaseWork, phaseStates, type Selection, type SelectOptions, selectPhases } from "./select.js";

export interface RollbackTarget {
  /** The migration as its up part reads. */
  migration: Migration;
  /** Its down part, linted (the down part's migration is `down.file.migration`). */
  down: FileResult;
}

export interface RollbackSelection {
  /** Newest first: the order the down parts run in. */
  targets: RollbackTarget[];
  /** The up parts of the migrations up to the newest target, in order, linted: the history undone. */
  history: FileResult[];
}

export interface RollbackOptions extends LintOptions {
  /** Undo every applied migration after this version (it stays); without it, the newest applied one. */
  to?: string;
}

/**
 * `records`: the history by version; null without a database (plan), where every migration counts as
 * applied and none as contracted. A refusal is a `Refused` naming the migration.
 */
export async function selectRollback(
  migrations: Migration[],
  records: Map<string, MigrationRecord> | null,
  options: RollbackOptions,
): Promise<RollbackSelection> {
  const kept = options.to === undefined ? [] : selectUpTo(migrations, options.to);
  const after = migrations.slice(kept.length);
  const record = (m: Migration) => records?.get(m.version);
  const applied = (m: Migration) => records === null || Boolean(record(m)?.expandCompletedAt);
  const newestFirst = after.filter(applied).reverse();
  const chosen = options.to === undefined ? newestFirst.slice(0, 1) : newestFirst;
  const oldest = chosen.at(-1);
  // Nothing newer than what is undone may be half-applied, and no interrupted rollback may be left behind.
  for (const m of oldest ? migrations.slice(migrations.indexOf(oldest)) : []) {
    const r = record(m);
    if (r?.expandStartedAt && !r.expandCompletedAt) {
      throw new Refused(
        `${m.file.path}: its expand phase was started and did not finish (an interrupted or failed up); finish it with safemigrate up, or fix it, before rolling back`,
      );
    }
  }
  for (const r of records?.values() ?? []) {
    if (r.rollbackStartedAt && !chosen.some((m) => m.version === r.version)) {
      throw new Refused(
        `${r.file ?? r.version}: its rollback was interrupted and is not finished; run safemigrate rollback${options.to === undefined ? "" : ` without --to ${options.to}`} to finish it first`,
      );
    }
  }
  const newest = chosen[0];
  const history = newest ? sqlMigrations(migrations.slice(0, migrations.indexOf(newest) + 1)) : [];
  const ups = lintMigrations(history, options).files;
  for (const migration of chosen) {
    if (migration.go) {
      throw new Refused(
        `${migration.file.path}: a goose Go migration; safemigrate cannot run Go (roll it back with goose)`,
      );
    }
    const up = ups.find((f) => f.file.migration === migration) as FileResult;
    const r = record(migration);
    if (phaseStates(up, r).contract !== null && (r?.contractStartedAt || r?.contractCompletedAt)) {
      throw new Refused(
        `${migration.file.path}: its contract phase has run${r?.baseline ? " (recorded by baseline)" : ""}; a contracted migration cannot be rolled back (write a new migration that restores what it dropped)`,
      );
    }
  }
  const downs: Migration[] = [];
  for (const migration of chosen) {
    const down = await readDownPart(migration);
    if (!down) {
      throw new Refused(
        `${migration.file.path}: no down part to roll back with (${downPartNames(migration)})`,
      );
    }
    downs.push(down.migration);
  }
  // The down parts are linted after the history they undo, so that they see its tables as existing.
  const lint = lintMigrations([...history, ...downs], options);
  const targets = chosen.map((migration, i) => ({
    migration,
    down: lint.files[history.length + i] as FileResult,
  }));
  // golang-migrate and diesel create down files empty (or with a comment): running one would only mark the
  // migration pending, and up would then run its expand a second time over what is still there.
  for (const { migration, down } of targets) {
    if (down.file.statements.length === 0) {
      throw new Refused(
        `${migration.file.path}: its down part (${down.file.migration.file.path}) has no statements; write the SQL that undoes its expand`,
      );
    }
  }
  return { targets, history: lint.files.slice(0, history.length) };
}

/**
 * `plan --rollback`: the phases that stay applied and the expands being undone are replayed, the down parts
 * are planned. Without a database every migration counts as applied, the ones being undone without their
 * contract.
 */
export async function rollbackPhases(
  migrations: Migration[],
  select: SelectOptions,
  options: RollbackOptions,
): Promise<Selection> {
  const { targets, history } = await selectRollback(migrations, select.records, options);
  const undone = new Set(targets.map((t) => t.migration.version));
  const records = select.records ?? assumedHistory(history, undone);
  const { replay } = selectPhases(history, { ...select, records });
  return { replay, planned: rollbackWork(targets, select) };
}

/** The down parts as phases to run, newest first: what `rollback` runs and `plan --rollback` traces. */
export function rollbackWork(
  targets: RollbackTarget[],
  options: Pick<SelectOptions, "rewrite" | "pgVersion">,
): PhaseWork[] {
  return targets.map(({ down }) => ({
    file: down,
    phase: "rollback",
    steps: buildSteps(down.file, {
      rewrite: options.rewrite,
      phase: "rollback",
      pgVersion: options.pgVersion,
    }),
  }));
}

/** Every migration applied (as when no database is given), the `undone` ones without their contract. */
function assumedHistory(history: FileResult[], undone: Set<string>): Map<string, MigrationRecord> {
  const at = new Date(0);
  return new Map(
    history.map(({ file }) => {
      const { version, name, checksum } = file.migration;
      const contracted = undone.has(version) ? null : at;
      const record: MigrationRecord = {
        version,
        name,
        checksum,
        file: file.migration.file.path,
        expandStartedAt: at,
        expandCompletedAt: at,
        contractStartedAt: contracted,
        contractCompletedAt: contracted,
        expandDurationMs: null,
        contractDurationMs: null,
        appliedBy: null,
        baseline: false,
        rollbackStartedAt: null,
        rolledBackAt: null,
        failedAt: null,
        error: null,
      };
      return [version, record];
    }),
  );
}
