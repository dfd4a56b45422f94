/**
 * `-- safemigrate:no-rewrite` directives that change nothing: no statement follows, or the statement after
 * one has no safe rewrite. Only plan can tell (lint does not build rewrites): it reports them as
 * `unused-ignore`, with the rule's configured severity.
 */

import { phaseOf } from "../analysis/analyze.js";
import {
  directiveFinding,
  type FileResult,
  type Finding,
  type RuleSetting,
  severityOf,
} from "../analysis/lint.js";
import { ruleById } from "../analysis/rules/index.js";
import type { Phase } from "../sql/directives.js";
import { rewriteStatement } from "../steps/rewrites.js";

export function unusedNoRewrites(
  result: FileResult,
  phase: Phase,
  pgVersion: number,
  rules: Record<string, RuleSetting> = {},
): Finding[] {
  const rule = ruleById("unused-ignore");
  if (!rule) return [];
  const severity = severityOf(rule, { rules });
  if (severity === "off") return [];
  const { file, source } = result;
  const findings: Finding[] = [];
  for (const directive of file.directives.noRewrites) {
    if (phaseOf(file.migration, file.directives, directive.start) !== phase) continue;
    const statement = file.statements.find((s) => s.sql.index === directive.statementIndex);
    if (statement && rewriteStatement(statement, pgVersion)) continue;
    const message = statement
      ? "no-rewrite directive changes nothing: the next statement has no safe rewrite"
      : "no-rewrite directive changes nothing: no statement follows it";
    findings.push(directiveFinding(rule, severity, file, source, directive, message));
  }
  return findings;
}
