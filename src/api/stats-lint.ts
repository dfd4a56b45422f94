/**
 * `lint --stats-file`: the production sizes a stats file holds, applied to lint's findings as the live
 * context applies them to plan's steps. A lock or rewrite finding whose existing relations are all small
 * (fewer rows than smallTableRows, the lint gate's answer) becomes `info`, saying so; any other gets the
 * estimated duration of its statement as written, from the one estimate `plan` uses.
 */
import type { FileResult, Finding, FindingOrigin } from "../analysis/lint.js";
import type { AnalyzedStatement } from "../analysis/model.js";
import type { StatsFile } from "../db/stats.js";
import { formatSeconds, statementEstimate } from "../plan/estimate.js";
import { allSmall, SIZE_DEPENDENT } from "../plan/small-tables.js";
import { statsSizes } from "../plan/stats-file.js";

export interface LintStats {
  /** The stats file as given, for messages. */
  file: string;
  stats: StatsFile;
  smallTableRows: number;
}

/** The file's findings with the stats applied (new findings; the summary is counted again from them). */
export function withStats(result: FileResult, stats: LintStats): FileResult {
  const origins = new Map<Finding, FindingOrigin>();
  const findings = result.findings.map((finding) => {
    const origin = result.origins.get(finding);
    const statement = origin?.statement ?? null;
    const judged =
      statement &&
      SIZE_DEPENDENT.has(finding.category) &&
      finding.severity !== "info" &&
      finding.severity !== "note"
        ? sized(finding, statement, stats)
        : finding;
    if (origin) origins.set(judged, origin);
    return judged;
  });
  return { ...result, findings, origins };
}

function sized(finding: Finding, statement: AnalyzedStatement, stats: LintStats): Finding {
  const { effects } = statement;
  const existing = effects.locks.filter((l) => l.existing).map((l) => l.relation);
  const sizes = statsSizes(stats.stats, [...existing, ...effects.rewrites, ...effects.scans]);
  const listed = new Set(stats.stats.tables.map((t) => t.name));
  const rows = new Map<string, number>();
  for (const r of existing) if (listed.has(r)) rows.set(r, sizes[r]?.rows ?? Number.POSITIVE_INFINITY);
  if (allSmall(existing, rows, stats.smallTableRows)) {
    const each = existing.map((r) =>
      rows.has(r) ? `${r}: ~${rows.get(r)} rows` : `${r}: not in the file, created since`,
    );
    const why = `small table (${each.join(", ")} in ${stats.file}; smallTableRows ${stats.smallTableRows})`;
    return { ...finding, severity: "info", message: `${why}: ${finding.message}` };
  }
  const estimate = statementEstimate(effects, sizes);
  if (!estimate) return finding;
  const takes = estimate.seconds < 1 ? "under 1 s" : `about ${formatSeconds(estimate.seconds)}`;
  const sized = `with the sizes in ${stats.file} it takes ${takes} (${estimate.basis})`;
  return { ...finding, message: `${finding.message}; ${sized}` };
}
