import type { Migration } from "../migrations/migration.js";
import type { Phase } from "../sql/directives.js";
import { type Position, SourceText } from "../sql/source.js";
import { type AnalyzedFile, Analyzer, phaseOf } from "./analyze.js";
import type { AnalyzedStatement, CatalogPartitionedTable } from "./model.js";
import type { Category, Rule, RuleReport, Severity } from "./rule.js";
import { RULES, ruleById } from "./rules/index.js";

export type RuleSetting = Severity | "off";

export interface LintOptions {
  pgVersion: number;
  /** Per-rule severity overrides; `off` disables a rule. */
  rules?: Record<string, RuleSetting>;
  /** The target database's partitioned tables, when a database is given. */
  partitions?: CatalogPartitionedTable[];
}

/** The lint finding, as in the JSON contract (version 1). */
export interface Finding {
  rule: string;
  severity: Severity;
  category: Category;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  help: string;
  statement: string;
}

/** The contract fields of a finding, in contract order, whatever else the engine attaches to it. */
export function contractFinding(f: Finding): Finding {
  return {
    rule: f.rule,
    severity: f.severity,
    category: f.category,
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    message: f.message,
    help: f.help,
    statement: f.statement,
  };
}

export interface FileResult {
  file: AnalyzedFile;
  source: SourceText;
  findings: Finding[];
  /** What each finding is about, for the runner's gate and plan (not part of the JSON contract). */
  origins: Map<Finding, FindingOrigin>;
}

export interface FindingOrigin {
  /** The statement the finding is about; null for a finding at a directive comment. */
  statement: AnalyzedStatement | null;
  /** The phase the finding belongs to: its statement's, or that of the section the directive is in. */
  phase: Phase;
}

/** The findings of one phase of a file. */
export function findingsOfPhase(result: FileResult, phase: Phase): Finding[] {
  return result.findings.filter((f) => result.origins.get(f)?.phase === phase);
}

export interface LintResult {
  files: FileResult[];
  findings: Finding[];
  summary: { files: number; statements: number; errors: number; warnings: number };
}

/** Lints migrations in order, carrying the schema context from one to the next. */
export function lintMigrations(migrations: Migration[], options: LintOptions): LintResult {
  const analyzer = new Analyzer(options.pgVersion, options.partitions);
  const files = migrations.map((m) => lintFile(analyzer.analyze(m), options));
  const findings = files.flatMap((f) => f.findings);
  return {
    files,
    findings,
    summary: {
      files: files.length,
      statements: files.reduce((n, f) => n + f.file.statements.length, 0),
      ...severityCounts(findings),
    },
  };
}

/** How many findings are errors and how many warnings. */
export function severityCounts(findings: Finding[]): { errors: number; warnings: number } {
  return {
    errors: findings.filter((f) => f.severity === "error").length,
    warnings: findings.filter((f) => f.severity === "warning").length,
  };
}

/** The severity a rule's findings get under the configured settings (an alias's setting counts). */
export function severityOf(rule: Rule, options: Pick<LintOptions, "rules">): RuleSetting {
  const settings = options.rules ?? {};
  const alias = rule.aliases?.find((id) => settings[id] !== undefined);
  return settings[rule.id] ?? (alias ? settings[alias] : undefined) ?? rule.defaultSeverity;
}

/** The ids an ignore directive may name to silence the rule. */
function silencingIds(rule: Rule): string[] {
  return [rule.id, ...(rule.aliases ?? [])];
}

function lintFile(file: AnalyzedFile, options: LintOptions): FileResult {
  const source = new SourceText(file.migration.file.text);
  const active = RULES.filter((r) => severityOf(r, options) !== "off");
  const used = new Set<number>();
  const findings: Finding[] = [];
  const origins = new Map<Finding, FindingOrigin>();
  const context = { pgVersion: options.pgVersion, file };
  for (const statement of file.statements) {
    // A statement that does not parse has no effects to judge: only syntax-error speaks of it.
    const rules = statement.sql.ast ? active : active.filter((r) => r.id === "syntax-error");
    for (const rule of rules) {
      for (const report of rule.check(statement, context)) {
        const ignore = file.directives.ignores.findIndex(
          (d) =>
            silencingIds(rule).some((id) => d.rules.includes(id)) &&
            (d.fileWide || d.statementIndex === statement.sql.index),
        );
        if (ignore !== -1) {
          used.add(ignore);
          continue;
        }
        const finding = makeFinding(rule, severityOf(rule, options) as Severity, report, statement, source);
        findings.push(finding);
        origins.set(finding, { statement, phase: statement.phase });
      }
    }
  }
  for (const { finding, start } of unusedIgnores(file, used, source, options)) {
    findings.push(finding);
    origins.set(finding, { statement: null, phase: phaseOf(file.migration, file.directives, start) });
  }
  findings.sort(
    (a, b) => a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
  );
  return { file, source, findings, origins };
}

function makeFinding(
  rule: Rule,
  severity: Severity,
  report: RuleReport,
  statement: AnalyzedStatement,
  source: SourceText,
): Finding {
  const from = source.position(report.start ?? statement.sql.start);
  const to = source.position(report.end ?? statement.sql.end);
  return findingAt(
    rule,
    severity,
    statement.migration.file.path,
    from,
    to,
    report.message,
    statement.sql.text,
  );
}

/** The one shape of a finding: `rule` reported over `from`..`to` of file `path`. */
export function findingAt(
  rule: Rule,
  severity: Severity,
  path: string,
  from: Position,
  to: Position,
  message: string,
  statement: string,
): Finding {
  return {
    rule: rule.id,
    severity,
    category: rule.category,
    file: path,
    line: from.line,
    column: from.column,
    endLine: to.line,
    endColumn: to.column,
    message,
    help: rule.help,
    statement,
  };
}

/** Ignore directives that name an unknown rule or silence nothing, each with where its directive starts. */
function unusedIgnores(
  file: AnalyzedFile,
  used: Set<number>,
  source: SourceText,
  options: LintOptions,
): Array<{ finding: Finding; start: number }> {
  const rule = ruleById("unused-ignore") as Rule;
  const severity = severityOf(rule, options);
  if (severity === "off") return [];
  const findings: Array<{ finding: Finding; start: number }> = [];
  const add = (directive: { start: number; end: number }, message: string) =>
    findings.push({
      finding: directiveFinding(rule, severity, file, source, directive, message),
      start: directive.start,
    });
  file.directives.ignores.forEach((directive, index) => {
    const unknown = directive.rules.filter((id) => !ruleById(id));
    let message: string | null = null;
    if (directive.rules.length === 0) message = "ignore directive names no rule";
    else if (unknown.length > 0)
      message = `ignore directive names unknown rule ${unknown.map((u) => `'${u}'`).join(", ")}`;
    else if (!used.has(index))
      message = `ignore directive for ${directive.rules.join(", ")} silences nothing`;
    if (!message) return;
    add(directive, message);
  });
  for (const directive of file.directives.unknown) {
    // A rollback marker is read where it starts a line of its own; anywhere else it would silently not be one.
    const message =
      directive.name === "rollback"
        ? "'safemigrate:rollback' starts a rollback section only as a -- comment on a line of its own; here the SQL after it is part of the migration"
        : `unknown directive 'safemigrate:${directive.name}'`;
    add(directive, message);
  }
  return findings;
}

/** A finding at a directive comment (its range in the file). */
export function directiveFinding(
  rule: Rule,
  severity: Severity,
  file: AnalyzedFile,
  source: SourceText,
  range: { start: number; end: number },
  message: string,
): Finding {
  const { path, text } = file.migration.file;
  const from = source.position(range.start);
  const to = source.position(range.end);
  return findingAt(rule, severity, path, from, to, message, text.slice(range.start, range.end));
}
