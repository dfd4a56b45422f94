/**
 * `plan` as a readable timeline: per migration phase, its steps in the order they run, each lock coloured
 * by what it blocks (green nothing, yellow writes, red reads and writes), then the strongest lock of the
 * migration, its findings, and a summary. Live context, when there is a database
 * (or the stats file's sizes), comes first.
 */
import kleur from "kleur";
import type { Blocks, LockMode } from "../../analysis/locks.js";
import { blocks as blocksOf, lockStrength } from "../../analysis/locks.js";
import { formatBytes, formatSeconds } from "../../plan/estimate.js";
import { planSummary } from "../../plan/report.js";
import type {
  InvalidIndex,
  LiveContext,
  PlanLock,
  PlannedBackfill,
  PlannedMigration,
  PlannedStep,
  PlanResult,
  RelationSize,
  StatsContext,
} from "../../plan/result.js";
import type { Palette } from "../io.js";
import { noticeLine, severityLabel } from "./text.js";

/** SQL longer than this many lines is cut in the timeline (the JSON has all of it). */
const MAX_SQL_LINES = 8;

interface Paint extends Palette {
  green(text: string): string;
}

export function planPaint(palette: Palette, enabled: boolean): Paint {
  return { ...palette, green: enabled ? (t) => kleur.green(t) : (t) => t };
}

function byBlocks(paint: Paint, blocks: Blocks, text: string): string {
  if (blocks === "reads+writes") return paint.red(paint.bold(text));
  return blocks === "writes" ? paint.yellow(text) : paint.green(text);
}

function lockText(paint: Paint, lock: { relation: string; mode: LockMode; existing?: boolean }): string {
  const fresh = lock.existing === false ? paint.dim(" (new)") : "";
  return `${lock.existing === false ? lock.mode : byBlocks(paint, blocksOf(lock.mode), lock.mode)} ${lock.relation}${fresh}`;
}

function indent(text: string, prefix: string): string[] {
  const lines = text.split("\n");
  const shown = lines.slice(0, MAX_SQL_LINES).map((l) => `${prefix}${l}`);
  if (lines.length > MAX_SQL_LINES) shown.push(`${prefix}... (${lines.length - MAX_SQL_LINES} more lines)`);
  return shown;
}

function stepHeader(step: PlannedStep, index: number, paint: Paint): string {
  const parts = [
    step.backfill ? "backfill: a transaction per batch" : step.transaction ? "transaction" : "no transaction",
    `line ${step.line}`,
    step.traced ? "traced" : paint.yellow("not traced"),
  ];
  if (step.rewrittenFrom !== null) parts.push(paint.cyan("safe rewrite"));
  return `  ${paint.bold(`${index + 1}.`)} ${parts.join(paint.dim(" · "))}`;
}

/**
 * In a traced step of several statements, which statement took a lock on an existing relation: it is
 * held from there to the step's COMMIT, through every statement after it.
 */
function takenBy(step: PlannedStep, lock: PlanLock, paint: Paint): string {
  const count = step.statements.length;
  if (count < 2 || !lock.existing) return "";
  const index = step.statements.findIndex((s) =>
    s.locks.some((l) => l.relation === lock.relation && l.mode === lock.mode),
  );
  return index < 0 ? "" : paint.dim(` from statement ${index + 1} of ${count}`);
}

function stepLines(step: PlannedStep, index: number, paint: Paint): string[] {
  const out = [stepHeader(step, index, paint), ...indent(step.sql, "       ")];
  if (step.rewrittenFrom !== null) {
    const was = indent(step.rewrittenFrom, "           ");
    out.push(`     ${paint.dim("was")}   ${(was[0] ?? "").trimStart()}`, ...was.slice(1));
  }
  const locks = step.locks.map((l) => lockText(paint, l) + takenBy(step, l, paint)).join(", ");
  out.push(
    `     ${paint.dim(step.backfill ? "locks per batch" : "locks")} ${locks || paint.dim("none on tables")}`,
  );
  const effects = [`blocks ${byBlocks(paint, step.blocks, step.blocks)}`];
  if (step.rewrite) effects.push(paint.red("rewrites the table"));
  if (step.scan) effects.push(paint.yellow("scans under the lock"));
  if (step.estimate) effects.push(`~${formatSeconds(step.estimate.seconds)} (${step.estimate.basis})`);
  out.push(`     ${effects.join(paint.dim(" · "))}`);
  if (step.backfill) out.push(`     ${backfillText(step.backfill)}`);
  if (!step.traced && step.reason) out.push(`     ${paint.dim(step.reason)}`);
  for (const d of step.disagreements) out.push(`     ${paint.dim(`trace differs from the model: ${d}`)}`);
  return out;
}

function backfillText(b: PlannedBackfill): string {
  const rows = b.estimatedRows === null ? "unknown" : `~${b.estimatedRows.toLocaleString("en-US")}`;
  const pause = b.pause === "0" ? "" : `, pause ${b.pause} between batches`;
  return `batches of ${b.batch.toLocaleString("en-US")} rows by ${b.key ?? "the primary key"}${pause}; estimated rows: ${rows}`;
}

/** The strongest lock a phase takes on a relation it did not create itself. */
function strongestLock(m: PlannedMigration): PlanLock | null {
  let strongest: PlanLock | null = null;
  for (const lock of m.steps.flatMap((s) => s.locks)) {
    if (lock.existing && (!strongest || lockStrength(lock.mode) > lockStrength(strongest.mode)))
      strongest = lock;
  }
  return strongest;
}

function migrationLines(m: PlannedMigration, paint: Paint): string[] {
  const title = `${paint.bold(`${m.version} ${m.name}`)} ${paint.dim(`(${m.phase})`)}  ${paint.dim(m.file)}`;
  const strongest = strongestLock(m);
  const summary = strongest
    ? `strongest lock: ${lockText(paint, strongest)}, blocks ${byBlocks(paint, blocksOf(strongest.mode), blocksOf(strongest.mode))}`
    : paint.green("takes no lock that blocks traffic on an existing table");
  const out = [title, `  ${summary}`];
  if (m.steps.length === 0) out.push(`  ${paint.dim("no statements in this phase")}`);
  m.steps.forEach((step, i) => {
    out.push(...stepLines(step, i, paint));
  });
  if (m.findings.length > 0) out.push(`  ${paint.bold("findings")}`);
  for (const f of m.findings) {
    const severity = severityLabel(f.severity, paint);
    out.push(
      `     ${severity} ${paint.dim(`${f.file}:${f.line}:${f.column}`)} ${paint.dim(f.rule)} ${f.message}`,
    );
  }
  return [...out, ""];
}

function liveLines(live: LiveContext, paint: Paint): string[] {
  const out = [
    `${paint.bold("database")}: Postgres ${live.serverVersion}, ${live.applied} migrations applied`,
    ...sizeLines(live.relations),
  ];
  for (const s of live.blockingSessions) {
    const why = s.reason === "old-transaction" ? "transaction open" : `holds ${s.mode} on ${s.relation}`;
    out.push(
      `  ${paint.yellow("blocking")} pid ${s.pid} (${s.state ?? "unknown"}, ${formatSeconds(s.ageSeconds)}): ${why}: ${s.query}`,
    );
  }
  return [...out, ...invalidIndexLines(live.invalidIndexes, paint), ""];
}

function statsLines(stats: StatsContext, paint: Paint): string[] {
  const from = `database ${stats.database}, Postgres ${stats.serverVersion}, exported ${stats.generatedAt}, ${stats.applied} migrations applied`;
  return [
    `${paint.bold("stats file")}: ${stats.file} (${from})`,
    ...sizeLines(stats.relations),
    ...invalidIndexLines(stats.invalidIndexes, paint),
    "",
  ];
}

function sizeLines(relations: Record<string, RelationSize>): string[] {
  const out: string[] = [];
  for (const [relation, size] of Object.entries(relations)) {
    if (size.totalBytes === null) continue;
    const rows = size.rows === null ? "rows unknown" : `~${size.rows.toLocaleString("en-US")} rows`;
    out.push(`  ${relation}: ${rows}, ${formatBytes(size.totalBytes)}`);
  }
  return out;
}

function invalidIndexLines(indexes: InvalidIndex[], paint: Paint): string[] {
  return indexes.map(
    (i) => `  ${paint.yellow("invalid index")} ${i.index} on ${i.table} (a failed concurrent build)`,
  );
}

function headline(result: PlanResult, paint: Paint): string {
  const shadow = result.shadow;
  const where = !shadow
    ? "model only (no trace)"
    : shadow.unavailable
      ? paint.yellow(`model only (${shadow.unavailable.replace(/^not traced: /, "")})`)
      : `traced on ${shadow.engine === "pglite" ? "embedded PGlite" : "the shadow database"} (Postgres ${shadow.serverVersion})${shadow.replayed > 0 ? `, after replaying ${shadow.replayed} applied phases` : ""}`;
  return `${paint.bold("plan")}: ${where}; rules for Postgres ${result.pgVersion}`;
}

export function renderPlanText(result: PlanResult, paint: Paint): string {
  const out = [headline(result, paint), ""];
  if (result.notices.length > 0) out.push(...result.notices.map((n) => noticeLine(n, paint)), "");
  for (const f of result.shadow?.replayFailures ?? []) {
    out.push(`${paint.yellow("replay failed")} ${f.where} (applied): ${f.message}`);
  }
  if (result.shadow?.replayFailures.length) out.push("");
  if (result.live) out.push(...liveLines(result.live, paint));
  if (result.stats) out.push(...statsLines(result.stats, paint));
  if (result.migrations.length === 0) {
    const none = result.rollback ? "no applied migration to roll back" : "no pending migrations";
    out.push(`nothing to plan: ${none}`, "");
  }
  for (const m of result.migrations) out.push(...migrationLines(m, paint));
  const s = planSummary(result);
  const parts = [
    `${s.migrations} migrations, ${s.steps} steps (${s.traced} traced)`,
    s.blocksReadsWrites > 0 ? paint.red(`${s.blocksReadsWrites} block reads+writes`) : "",
    s.blocksWrites > 0 ? paint.yellow(`${s.blocksWrites} block writes`) : "",
    s.rewrites > 0 ? paint.red(`${s.rewrites} rewrite a table`) : "",
    s.failures > 0 ? paint.red(paint.bold(`${s.failures} fail on Postgres`)) : "",
    s.unmodelled > 0 ? paint.cyan(`${s.unmodelled} not modelled`) : "",
  ];
  out.push(parts.filter(Boolean).join(", "));
  return `${out.join("\n")}\n`;
}
