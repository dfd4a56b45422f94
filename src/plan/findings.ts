/** The findings a planned phase shows: its lint findings, and the statements that fail on the shadow. */
import type { AnalyzedFile } from "../analysis/analyze.js";
import { type Finding, findingAt, type RuleSetting, severityOf } from "../analysis/lint.js";
import failsOnPostgres from "../analysis/rules/fails-on-postgres.js";
import type { ShadowError } from "../shadow/shadow.js";
import { SourceText } from "../sql/source.js";
import type { Step } from "../steps/step.js";

/** Rule id of a statement that Postgres (the shadow) refused for a reason in the migration itself. */
export const SHADOW_FAILURE_RULE = failsOnPostgres.id;

/** The failures with the severity configured for fails-on-postgres: none when it is off. */
export function withFailureSetting(failures: Finding[], rules: Record<string, RuleSetting> = {}): Finding[] {
  const setting = severityOf(failsOnPostgres, { rules });
  if (setting === "off") return [];
  return failures.map((f) => ({ ...f, severity: setting }));
}

/** Advances `from` by `count` characters counted as Postgres does (code points, not UTF-16 units). */
function advanceCodePoints(text: string, from: number, count: number): number {
  let index = from;
  for (let n = 0; n < count && index < text.length; n++) {
    const code = text.charCodeAt(index);
    index += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
  }
  return index;
}

/**
 * A statement that fails on the shadow, as a finding at its file, line and column: at Postgres's error
 * position when the statement runs as written, else at the start of the statement it was rewritten from.
 */
export function shadowFailureFinding(
  file: AnalyzedFile,
  step: Step,
  statementIndex: number,
  error: ShadowError,
  engine: string,
): Finding {
  const text = file.migration.file.text;
  const source = new SourceText(text);
  const origin = step.origins?.[statementIndex];
  const sql = step.statements[statementIndex] ?? "";
  let start = origin?.start ?? null;
  const end = origin?.end ?? null;
  const asWritten = origin !== undefined && text.slice(origin.start, origin.end) === sql;
  if (start !== null && asWritten && error.position !== null) {
    start = advanceCodePoints(text, start, error.position - 1);
  }
  const from = start === null ? { line: step.line, column: step.column } : source.position(start);
  const to = end === null ? from : source.position(end);
  const message = `fails on Postgres (${engine} shadow, after replaying the earlier migrations): ${error.message}`;
  return findingAt(
    failsOnPostgres,
    failsOnPostgres.defaultSeverity,
    file.migration.file.path,
    from,
    to,
    message,
    sql,
  );
}
