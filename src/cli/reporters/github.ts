/**
 * GitHub Actions workflow commands: one `::error` / `::warning` annotation per finding. Escaping follows
 * the runner's rules (actions/toolkit `command.ts`): data escapes `%`, CR and LF; property values also
 * escape `:` and `,`.
 */
import type { Finding } from "../../analysis/lint.js";
import type { Severity } from "../../analysis/rule.js";
import type { DiscoveryNotice } from "../../migrations/migration.js";
import type { ReportContext } from "./context.js";

export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** Info and notes never fail a run: notices, which GitHub shows without marking the check failed. */
const COMMANDS: Record<Severity, "error" | "warning" | "notice"> = {
  error: "error",
  warning: "warning",
  info: "notice",
  note: "notice",
};

function annotation(f: Finding): string {
  const properties = [
    `file=${escapeProperty(f.file)}`,
    `line=${f.line}`,
    `col=${f.column}`,
    `endLine=${f.endLine}`,
    `endColumn=${f.endColumn}`,
    `title=${escapeProperty(f.rule)}`,
  ].join(",");
  return `::${COMMANDS[f.severity]} ${properties}::${escapeData(f.message)}`;
}

/** A discovery notice: a warning on the whole file (or directory). */
function noticeAnnotation(n: DiscoveryNotice): string {
  return `::warning file=${escapeProperty(n.file)},title=${escapeProperty(n.kind)}::${escapeData(n.message)}`;
}

export function renderGithub({ run }: ReportContext): string {
  return [...run.notices.map(noticeAnnotation), ...run.findings.map(annotation)]
    .map((l) => `${l}\n`)
    .join("");
}
