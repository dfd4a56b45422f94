import type { Migration } from "../migrations/migration.js";
import type { Phase } from "../sql/directives.js";
import { type Position, SourceText } from "../sql/source.js";
import { type AnalyzedFile, Analyzer, phaseOf } from "./analyze.js";
import type { AnalyzedStatement, CatalogPartitionedTable } from "./model.js";
import { type Category, type Rule, type RuleReport, SEVERITIES, type Severity } from "./rule.js";
import { RULES, ruleById } from "./rules/index.js";

export type RuleSetting = Severity | "off";

export interface LintOptions {
  pgVersion: number;
  /** Per-rule severity overrides; `off` disables a rule. */
  rules?: Record<string, RuleSetting>;
  /** The target database's partitioned tables, when a database is given. */
  partitions?: CatalogPartitionedTable[];
  /**
   * Set when safemigrate runs the migrations: a finding it resolves is reported as `info`, its message
   * saying what the statement runs as (the runner's steps are built above this layer).
   */
  resolvedBy?: RunnerResolver;
}

/** How the runner resolves `rule`'s finding about `statement` ("runs as ..."), or null when it does not. */
export type RunnerResolver = (
  file: AnalyzedFile,
  statement: AnalyzedStatement,
  rule: string,
) => string | null;

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
  summary: { files: number; statements: number; unmodelled: number } & SeverityCounts;
}

/** How many findings there are of each severity, by its plural: `errors`, `warnings`, `infos`, `notes`. */
export type SeverityCounts = Record<`${Severity}s`, number>;

/**
 * How many of these statements (and of the statements inside their DO blocks) the model does not prove,
 * and how many EXECUTEs of SQL built at run time they hold: counted from the analysis, whatever the
 * settings of the rules that report them, so that nothing unproven passes in silence.
 */
export function unmodelledCount(statements: AnalyzedStatement[]): number {
  let count = 0;
  for (const statement of statements) {
    for (const s of [statement, ...(statement.inner ?? [])]) if (s.effects.unmodelled !== undefined) count++;
    count += statement.dynamic?.length ?? 0;
  }
  return count;
}

/** Lints migrations in order, carrying the schema context from one to the next. */
export function lintMigrations(migrations: Migration[], options: LintOptions): LintResult {
  const analyzer = new Analyzer(options.pgVersion, options.partitions);
  const active = activeRules(options);
  return lintResultOf(migrations.map((m) => lintFile(analyzer.analyze(m), options, active)));
}

/** The result of these linted files: their findings, in order, and the summary counted over them. */
export function lintResultOf(files: FileResult[]): LintResult {
  const findings = files.flatMap((f) => f.findings);
  return {
    files,
    findings,
    summary: {
      files: files.length,
      statements: files.reduce((n, f) => n + f.file.statements.length, 0),
      ...severityCounts(findings),
      unmodelled: files.reduce((n, f) => n + unmodelledCount(f.file.statements), 0),
    },
  };
}

export function severityCounts(findings: Finding[]): SeverityCounts {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [`${s}s`, 0])) as SeverityCounts;
  for (const f of findings) counts[`${f.severity}s`]++;
  return counts;
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

/** A rule that runs, with what is fixed for the whole run: its severity and the ids that silence it. */
interface ActiveRule {
  rule: Rule;
  severity: Severity;
  silencedBy: string[];
}

/** The rules that run under `options`, resolved once per run rather than once per statement and finding. */
function activeRules(options: LintOptions): ActiveRule[] {
  const active: ActiveRule[] = [];
  for (const rule of RULES) {
    const severity = severityOf(rule, options);
    if (severity !== "off") active.push({ rule, severity, silencedBy: silencingIds(rule) });
  }
  return active;
}

function lintFile(file: AnalyzedFile, options: LintOptions, active: ActiveRule[]): FileResult {
  const source = new SourceText(file.migration.file.text);
  // A statement that does not parse has no effects to judge: only syntax-error speaks of it.
  const unparsed = active.filter((a) => a.rule.id === "syntax-error");
  const { ignores } = file.directives;
  const used = new Set<number>();
  const findings: Finding[] = [];
  const origins = new Map<Finding, FindingOrigin>();
  const context = { pgVersion: options.pgVersion, file };
  for (const outer of file.statements) {
    // A DO block's statements are judged as they would be outside it, at their own positions; the
    // block's own effects are theirs together, so a rule that spoke of one of them does not repeat it
    // on the block.
    const reported = new Set<string>();
    for (const statement of outer.inner ? [...outer.inner, outer] : [outer]) {
      const isInner = statement !== outer;
      const rules = statement.sql.ast ? active : isInner ? [] : unparsed;
      for (const { rule, severity, silencedBy } of rules) {
        if (!isInner && reported.has(rule.id)) continue;
        for (const report of rule.check(statement, context)) {
          if (isInner) reported.add(rule.id);
          const ignore =
            ignores.length === 0
              ? -1
              : ignores.findIndex(
                  (d) =>
                    silencedBy.some((id) => d.rules.includes(id)) &&
                    (d.fileWide || d.statementIndex === statement.sql.index),
                );
          if (ignore !== -1) {
            used.add(ignore);
            continue;
          }
          const resolution = options.resolvedBy?.(file, statement, rule.id) ?? null;
          const finding = resolution
            ? makeFinding(rule, "info", resolvedReport(report, resolution), statement, source)
            : makeFinding(rule, severity, report, statement, source);
          findings.push(finding);
          origins.set(finding, { statement, phase: statement.phase });
        }
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

/** The report of a finding the runner resolves: what the statement runs as, then the hazard as written. */
function resolvedReport(report: RuleReport, resolution: string): RuleReport {
  return { ...report, message: `${resolution} (runner: safemigrate); as written: ${report.message}` };
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
    report.help,
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
  help: string = rule.help,
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
    help,
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
