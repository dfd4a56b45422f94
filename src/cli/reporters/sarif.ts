/**
 * SARIF 2.1.0 for code-scanning uploads. Columns are declared as code points (`columnKind`), which is
 * what findings count; SARIF regions are 1-based with an exclusive end column, as findings are.
 */
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import type { Finding } from "../../analysis/lint.js";
import type { Severity } from "../../analysis/rule.js";
import { RULES } from "../../analysis/rules/index.js";
import type { DiscoveryNotice } from "../../migrations/migration.js";
import { packageVersion, REPOSITORY_URL, ruleDocsUrl } from "../package.js";
import type { ReportContext } from "./context.js";

const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** Relative paths with forward slashes, each segment URI-escaped; absolute paths as file:// URIs. */
export function artifactUri(path: string): string {
  if (isAbsolute(path)) return pathToFileURL(path).href;
  return path.split(/[\\/]/).map(encodeURIComponent).join("/");
}

/** SARIF has no `info`: info and notes are both its `note` (never a failure). */
const LEVELS: Record<Severity, "error" | "warning" | "note"> = {
  error: "error",
  warning: "warning",
  info: "note",
  note: "note",
};

const level = (severity: Severity) => LEVELS[severity];

function descriptors(settings: ReportContext["rules"]) {
  return RULES.map((rule) => {
    const setting = settings[rule.id] ?? rule.defaultSeverity;
    return {
      id: rule.id,
      name: rule.id,
      // SARIF viewers reject empty texts; fall back to the id until a rule has its description.
      shortDescription: { text: rule.description || rule.id },
      help: { text: rule.help || rule.description || rule.id },
      helpUri: ruleDocsUrl(rule.id),
      defaultConfiguration:
        setting === "off"
          ? { enabled: false, level: level(rule.defaultSeverity) }
          : { enabled: true, level: level(setting) },
      properties: { category: rule.category, tags: [rule.category] },
    };
  });
}

function result(f: Finding, ruleIndex: Map<string, number>) {
  return {
    ruleId: f.rule,
    ruleIndex: ruleIndex.get(f.rule) ?? -1,
    level: level(f.severity),
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: artifactUri(f.file) },
          region: {
            startLine: f.line,
            startColumn: f.column,
            endLine: f.endLine,
            endColumn: f.endColumn,
          },
        },
      },
    ],
  };
}

/** The descriptions of the discovery notices, as rules of their own (after the catalogue, when present). */
const NOTICE_RULES: Record<DiscoveryNotice["kind"], string> = {
  "no-migrations": "A migration directory holds no migration that safemigrate reads.",
  "unread-file": "A file that looks like a migration is not read in this directory's layout.",
  "go-migration": "A goose Go migration: safemigrate cannot analyse or run it.",
  "duplicate-version": "Two migrations of a directory have the same version: only one of them could run.",
  "refused-by-tool":
    "The owning tool would refuse to run the directory as it is (a missing file, a broken hash).",
};

function noticeDescriptors(notices: DiscoveryNotice[]) {
  const kinds = [...new Set(notices.map((n) => n.kind))];
  return kinds.map((kind) => ({
    id: kind,
    name: kind,
    shortDescription: { text: NOTICE_RULES[kind] },
    help: { text: NOTICE_RULES[kind] },
    helpUri: `${REPOSITORY_URL}/blob/main/docs/layouts.md#files-not-read`,
    defaultConfiguration: { enabled: true, level: "warning" },
    properties: { category: "discovery", tags: ["discovery"] },
  }));
}

function noticeResult(n: DiscoveryNotice, ruleIndex: Map<string, number>) {
  return {
    ruleId: n.kind,
    ruleIndex: ruleIndex.get(n.kind) ?? -1,
    level: "warning",
    message: { text: n.message },
    locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(n.file) } } }],
  };
}

export function renderSarif({ run, rules }: ReportContext): string {
  const notices = noticeDescriptors(run.notices);
  const ruleIndex = new Map([...RULES.map((r) => r.id), ...notices.map((d) => d.id)].map((id, i) => [id, i]));
  const log = {
    $schema: SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "safemigrate",
            version: packageVersion(),
            informationUri: REPOSITORY_URL,
            rules: [...descriptors(rules), ...notices],
          },
        },
        columnKind: "unicodeCodePoints",
        results: [
          ...run.notices.map((n) => noticeResult(n, ruleIndex)),
          ...run.findings.map((f) => result(f, ruleIndex)),
        ],
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
