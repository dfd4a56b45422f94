/**
 * GitLab Code Quality: a JSON array of issues (the subset of the Code Climate spec GitLab reads:
 * description, check_name, fingerprint, severity, location.path, location.lines.begin), for
 * `artifacts: reports: codequality:` in `.gitlab-ci.yml`. GitLab compares the issues of a merge request
 * with those of its target branch by fingerprint: a fingerprint stays the same while the finding does
 * (it does not include the line, so that lines added above a statement do not make its findings look new),
 * and differs between findings, even two alike in one file.
 */
import { createHash } from "node:crypto";
import type { Finding } from "../../analysis/lint.js";
import type { Severity } from "../../analysis/rule.js";
import type { DiscoveryNotice } from "../../migrations/migration.js";
import type { ReportContext } from "./context.js";

export type CodeQualitySeverity = "info" | "minor" | "major" | "critical" | "blocker";

export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: CodeQualitySeverity;
  location: { path: string; lines: { begin: number; end: number } };
}

/** As GitLab's own linters map theirs (ESLint's formatter): errors major, warnings minor. */
const SEVERITIES: Record<Severity, CodeQualitySeverity> = {
  error: "major",
  warning: "minor",
  info: "info",
  note: "info",
};

/** A path relative to the project root, with forward slashes (GitLab links it to the file in the diff). */
export function codeQualityPath(path: string): string {
  return path.replace(/\\/g, "/").replace(/^(\.\/)+/, "");
}

/** 32 hex characters (the length of the MD5 in GitLab's example) of a SHA-256 over the parts. */
function hash(parts: string[]): string {
  return createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 32);
}

interface Draft {
  issue: Omit<CodeQualityIssue, "fingerprint">;
  /** What identifies the finding apart from where it stands. */
  identity: string[];
}

function findingDraft(f: Finding): Draft {
  const path = codeQualityPath(f.file);
  return {
    issue: {
      description: f.message,
      check_name: f.rule,
      severity: SEVERITIES[f.severity],
      location: { path, lines: { begin: f.line, end: f.endLine } },
    },
    identity: [path, f.rule, f.statement, f.message],
  };
}

/** A discovery notice: about the whole file, shown at its first line. */
function noticeDraft(n: DiscoveryNotice): Draft {
  const path = codeQualityPath(n.file);
  return {
    issue: {
      description: n.message,
      check_name: n.kind,
      severity: "minor",
      location: { path, lines: { begin: 1, end: 1 } },
    },
    identity: [path, n.kind, n.message],
  };
}

/** Fingerprints from each draft's identity; the n-th repeat of an identity gets n in its hash. */
function codeQualityIssues(drafts: Draft[]): CodeQualityIssue[] {
  const seen = new Map<string, number>();
  return drafts.map(({ issue, identity }) => {
    const key = identity.join("\0");
    const repeat = seen.get(key) ?? 0;
    seen.set(key, repeat + 1);
    const { description, check_name, severity, location } = issue;
    return { description, check_name, fingerprint: hash([...identity, String(repeat)]), severity, location };
  });
}

export function renderGitlab({ run }: ReportContext): string {
  const drafts = [...run.notices.map(noticeDraft), ...run.findings.map(findingDraft)];
  return `${JSON.stringify(codeQualityIssues(drafts), null, 2)}\n`;
}
