/**
 * Renders run events (src/run/events.ts) for `up` and `contract`: text lines for people (a line per step
 * with its lock, timing and retries; a live progress line on a terminal) or, with `--log-format json`, one
 * JSON object per event for pipelines. Everything printed passes through redact().
 */
import type { Finding } from "../../analysis/lint.js";
import { formatDuration, redact } from "../../config/index.js";
import type { Blocker } from "../../db/introspect.js";
import type { RunEvent, StepRef } from "../../run/events.js";
import type { CliIO, Palette } from "../io.js";
import { noticeLine } from "./text.js";

export type LogFormat = "text" | "json";

export function createRunReporter(io: CliIO, format: LogFormat, paint: Palette): (event: RunEvent) => void {
  if (format === "json") {
    return (event) => io.stdout(`${redact(JSON.stringify({ ...event, time: new Date().toISOString() }))}\n`);
  }
  const text = new TextRenderer(io, paint);
  return (event) => text.render(event);
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

function oneLine(sql: string, max = 100): string {
  const flat = sql.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function lockText(ref: StepRef): string {
  if (ref.locks.length === 0) return "no table locks";
  const locks = ref.locks.map((l) => `${l.mode} on ${l.relation}`).join(", ");
  return `${locks}; blocks ${ref.blocks}`;
}

/** `pid 123 (idle in transaction, 2.0s): SELECT ...` for each session. */
function blockerText(blockers: Blocker[]): string {
  return blockers
    .map(
      (b) =>
        `pid ${b.pid} (${b.state ?? "?"}${b.ageMs !== null ? `, ${seconds(b.ageMs)}` : ""}): ${oneLine(b.query, 80)}`,
    )
    .join("; ");
}

function findingLine(f: Finding): string {
  return `${f.file}:${f.line}:${f.column}  ${f.severity}  ${f.rule}  ${f.message}`;
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** `12,000 / ~200,000 rows (6%), 45,000 rows/s, ETA 4.2s`: where a backfill stands. */
function backfillProgress(event: Extract<RunEvent, { event: "backfill-progress" }>): string {
  const total = event.rowsTotal === null ? "unknown" : `~${count(event.rowsTotal)}`;
  const pct =
    event.rowsTotal && event.rowsTotal > 0
      ? ` (${Math.floor((100 * event.rowsDone) / event.rowsTotal)}%)`
      : "";
  const eta = event.etaMs === null ? "" : `, ETA ${seconds(event.etaMs)}`;
  return `${count(event.rowsDone)} / ${total} rows${pct}, ${count(event.rowsPerSecond)} rows/s${eta}`;
}

class TextRenderer {
  private progressShown = false;
  /** The last progress of the running backfill, summed up when it is done. */
  private backfill: Extract<RunEvent, { event: "backfill-progress" }> | null = null;
  /** The gate's findings, shown with its summary. */
  private gateFindings: Array<Extract<RunEvent, { event: "gate-finding" }>> = [];

  constructor(
    private readonly io: CliIO,
    private readonly paint: Palette,
  ) {}

  private out(line: string): void {
    this.clearProgress();
    this.io.stdout(`${redact(line)}\n`);
  }

  private err(line: string): void {
    this.clearProgress();
    this.io.stderr(`${redact(line)}\n`);
  }

  private clearProgress(): void {
    if (this.progressShown) this.io.stdout("\r\x1b[2K");
    this.progressShown = false;
  }

  render(event: RunEvent): void {
    const p = this.paint;
    switch (event.event) {
      case "notice":
        this.out(noticeLine(event, p));
        break;
      case "run-start":
        this.out(
          event.pending === 0
            ? `safemigrate ${event.command}: nothing to do on ${event.database}`
            : `safemigrate ${event.command}: ${event.pending} ${event.command === "rollback" ? "to roll back" : "pending"} on ${event.database}`,
        );
        break;
      case "lock-wait":
        this.out(
          `waiting up to ${formatDuration(event.waitMs)} for another safemigrate run${event.holder ? ` (pid ${event.holder})` : ""} to finish`,
        );
        break;
      case "gate-finding":
        this.gateFindings.push(event);
        break;
      case "gate":
        this.gate(event);
        break;
      case "migration-start":
        this.out(p.bold(`▸ ${event.version} ${event.name} (${event.phase}, ${event.steps} steps)`));
        break;
      case "migration-done":
        this.out(p.dim(`  ${event.phase} of ${event.version} done in ${seconds(event.durationMs)}`));
        break;
      case "error":
        this.err(p.red(`safemigrate: ${event.file ? `${event.file}:${event.line}: ` : ""}${event.message}`));
        if (event.detail) this.err(`  detail: ${event.detail}`);
        if (event.hint) this.err(`  hint: ${event.hint}`);
        if (event.sql) this.err(`  while running (safe rewrite): ${oneLine(event.sql, 200)}`);
        break;
      case "interrupted":
        this.err(
          `safemigrate: interrupted by ${event.signal}: the running statement was cancelled and rolled back, the lock released; run again to resume`,
        );
        break;
      case "run-done":
        // A run that did not finish has said why already (the gate, the error, the interruption).
        if (event.status !== "done") break;
        this.out(
          event.command === "rollback"
            ? `rollback: ${event.applied} migration${event.applied === 1 ? "" : "s"} rolled back in ${seconds(event.durationMs)}`
            : `${event.command}: ${event.applied} migration phase${event.applied === 1 ? "" : "s"} applied in ${seconds(event.durationMs)}`,
        );
        break;
      default:
        this.stepEvent(event);
    }
  }

  /** The events of one step: its start and progress (on a terminal), retries, skips, clean-ups, done. */
  private stepEvent(event: RunEvent): void {
    const p = this.paint;
    const step = (ref: StepRef) => `${ref.step}/${ref.steps}`;
    switch (event.event) {
      case "step-start":
        if (this.io.isTTY) {
          this.io.stdout(`  … ${step(event)} ${oneLine(event.sql, 80)}`);
          this.progressShown = true;
        }
        break;
      case "progress":
        if (this.io.isTTY) {
          const { phase, blocksDone, blocksTotal } = event.progress;
          const pct = blocksTotal > 0 ? ` ${Math.floor((100 * blocksDone) / blocksTotal)}% of blocks` : "";
          this.clearProgress();
          this.io.stdout(`  … ${step(event)} ${phase}${pct} (${seconds(event.elapsedMs)})`);
          this.progressShown = true;
        }
        break;
      case "backfill-start":
        this.backfill = null;
        if (event.resumedAfter !== null)
          this.out(
            p.dim(
              `  … ${step(event)} backfill of ${event.locks[0]?.relation ?? ""} resumes after ${event.key} ${event.resumedAfter}`,
            ),
          );
        break;
      case "backfill-progress":
        this.backfill = event;
        if (this.io.isTTY) {
          this.clearProgress();
          this.io.stdout(`  … ${step(event)} backfill by ${event.key}: ${backfillProgress(event)}`);
          this.progressShown = true;
        }
        break;
      case "step-retry": {
        const blockers = blockerText(event.blockers);
        this.out(
          p.yellow(
            `  ↻ ${step(event)} ${event.code === "40P01" ? "deadlock" : "lock timeout"} (${event.code}); retry ${event.attempt} in ${seconds(event.delayMs)}${blockers ? `; blocked by ${blockers}` : ""}`,
          ),
        );
        break;
      }
      case "step-wait":
        this.out(
          p.yellow(
            `  ⏸ ${step(event)} waiting (up to ${seconds(event.limitMs - event.waitedMs)}, outside the lock queue) for ${blockerText(event.blockers)}`,
          ),
        );
        break;
      case "step-wait-done":
        this.out(
          p.dim(
            `  – ${step(event)} ${event.exhausted ? "blockers still there" : "blockers gone"} after ${seconds(event.waitedMs)}${event.exhausted ? "; trying under lock_timeout" : ""}`,
          ),
        );
        break;
      case "step-skip":
        this.out(p.dim(`  – ${step(event)} ${oneLine(event.sql, 80)}: skipped, ${event.reason}`));
        break;
      case "step-cleanup":
        this.out(
          p.dim(
            `  – ${step(event)} dropped INVALID ${event.dropped.join(", ")} left by an interrupted build`,
          ),
        );
        break;
      case "step-done": {
        const retries =
          event.retries > 0 ? `, ${event.retries} ${event.retries === 1 ? "retry" : "retries"}` : "";
        const rewritten = event.rewrittenFrom ? p.cyan(" (safe rewrite)") : "";
        this.out(`  ✓ ${step(event)} ${oneLine(event.sql)}${rewritten}`);
        this.out(p.dim(`      ${lockText(event)}; ${seconds(event.durationMs)}${retries}`));
        if (event.kind === "backfill" && this.backfill) {
          const b = this.backfill;
          this.out(
            p.dim(
              `      backfilled by ${b.key}: ${count(b.rowsDone)} rows walked, ${count(b.rowsUpdated)} updated, in ${count(b.batches)} batches`,
            ),
          );
        }
        this.backfill = null;
        break;
      }
    }
  }

  private gate(event: Extract<RunEvent, { event: "gate" }>): void {
    const p = this.paint;
    const rewrites = event.byReason.rewrite;
    const small = event.byReason["small-table"];
    if (rewrites + small > 0) {
      this.out(
        p.dim(`lint: ${rewrites} error finding(s) resolved by safe rewrites, ${small} on small tables`),
      );
    }
    const findings = this.gateFindings;
    this.gateFindings = [];
    const unsafe = findings.filter((x) => x.reason === "unsafe");
    if (unsafe.length > 0) {
      this.err(p.bold(p.red(`!!! --unsafe: running despite ${unsafe.length} error finding(s):`)));
      for (const { finding } of unsafe) this.err(p.red(`!!!   ${findingLine(finding)}`));
    }
    if (event.blocked > 0) {
      for (const { finding } of findings.filter((x) => x.outcome === "blocked"))
        this.err(findingLine(finding));
      this.err(
        p.red(
          `safemigrate: ${event.blocked} error finding(s) stop the run; nothing ran. Fix them, silence one with -- safemigrate:ignore <rule> -- <reason>, or use --unsafe on an empty database`,
        ),
      );
    }
  }
}
