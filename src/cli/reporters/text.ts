/** Human output: one block per finding (location, severity, rule, message, code frame, help), then a summary. */

import type { Finding } from "../../analysis/lint.js";
import type { Severity } from "../../analysis/rule.js";
import type { LintSummary } from "../../api/lint.js";
import type { DiscoveryNotice } from "../../migrations/migration.js";
import type { Palette } from "../io.js";
import { codeFrame } from "./code-frame.js";
import type { ReportContext } from "./context.js";

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function summaryLine(summary: LintSummary, paint: Palette): string {
  const errors = plural(summary.errors, "error");
  const warnings = plural(summary.warnings, "warning");
  return [
    summary.errors > 0 ? paint.red(paint.bold(errors)) : errors,
    ", ",
    summary.warnings > 0 ? paint.yellow(paint.bold(warnings)) : warnings,
    summary.infos > 0 ? `, ${paint.cyan(`${summary.infos} info`)}` : "",
    ` in ${plural(summary.files, "file")} (${plural(summary.statements, "statement")})`,
    // What the model does not prove is said, never passed in silence.
    summary.unmodelled > 0 ? `, ${paint.cyan(`${summary.unmodelled} not modelled`)}` : "",
  ].join("");
}

const SEVERITY_COLOURS: Record<Severity, keyof Palette> = {
  error: "red",
  warning: "yellow",
  info: "cyan",
  note: "cyan",
};

/** A finding's severity, coloured: errors red, warnings yellow, info and notes cyan. */
export function severityLabel(severity: Severity, paint: Palette): string {
  return paint[SEVERITY_COLOURS[severity]](severity);
}

function header(f: Finding, paint: Palette): string {
  const severity = severityLabel(f.severity, paint);
  return `${paint.bold(`${f.file}:${f.line}:${f.column}`)}  ${severity}  ${paint.dim(f.rule)}  ${f.message}`;
}

/** A discovery notice: like a finding's header, without a line and column (it is about a whole file). */
export function noticeLine(n: DiscoveryNotice, paint: Palette): string {
  return `${paint.bold(n.file)}  ${paint.yellow("warning")}  ${paint.dim(n.kind)}  ${n.message}`;
}

export function renderText({ run, paint }: ReportContext): string {
  const out: string[] = [];
  for (const notice of run.notices) out.push(noticeLine(notice, paint));
  if (run.notices.length > 0) out.push("");
  for (const finding of run.findings) {
    out.push(header(finding, paint));
    const source = run.sources.get(finding.file);
    if (source) out.push(...codeFrame(source, finding, paint));
    if (finding.help) out.push(`${paint.cyan("help")}: ${finding.help}`);
    out.push("");
  }
  out.push(summaryLine(run.summary, paint));
  return `${out.join("\n")}\n`;
}
