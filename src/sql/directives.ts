import { type BackfillDirective, type DirectiveError, readBackfill } from "./backfill.js";
import type { SqlComment, SqlStatement } from "./parse.js";

/** `rollback`: the statements of a migration's down part, run by `safemigrate rollback`. */
export type Phase = "expand" | "contract" | "rollback";

/** `-- safemigrate:ignore rule[, rule] [-- reason]` (next statement) or `ignore-file` (whole file). */
export interface IgnoreDirective {
  rules: string[];
  fileWide: boolean;
  /** The statement it covers (index into the file's statements); null for file-wide or when none follows. */
  statementIndex: number | null;
  start: number;
  end: number;
  reason: string | null;
}

/** `-- safemigrate:no-rewrite`: the whole next statement runs as written, without its safe rewrite. */
export interface NoRewriteDirective {
  /** The statement it covers (index into the file's statements); null when none follows. */
  statementIndex: number | null;
  start: number;
  end: number;
}

export interface FileDirectives {
  /** Phase markers in file order; statements before the first marker are expand. */
  phaseMarkers: Array<{ index: number; phase: Phase }>;
  ignores: IgnoreDirective[];
  noRewrites: NoRewriteDirective[];
  noTransaction: boolean;
  /** `-- safemigrate:backfill ...` steps, in file order. */
  backfills: BackfillDirective[];
  /** Directives that cannot be read (a bad backfill): reported as one-line input errors. */
  malformed: DirectiveError[];
  /** Comments that start with `safemigrate:` but are not a known directive. */
  unknown: Array<{ start: number; end: number; name: string }>;
}

const PREFIX = /^(?:--|\/\*)\s*safemigrate:([a-z-]+)\s*(.*?)\s*(?:\*\/)?$/ds;

export function readDirectives(comments: SqlComment[], statements: SqlStatement[]): FileDirectives {
  const directives: FileDirectives = {
    phaseMarkers: [],
    ignores: [],
    noRewrites: [],
    noTransaction: false,
    backfills: [],
    malformed: [],
    unknown: [],
  };
  for (const comment of comments) {
    const trimmed = comment.text.trim();
    const match = PREFIX.exec(trimmed);
    if (!match) continue;
    const name = match[1] as string;
    const rest = match[2] as string;
    switch (name) {
      case "expand":
      case "contract":
        directives.phaseMarkers.push({ index: comment.start, phase: name });
        break;
      case "backfill": {
        const at = comment.start + comment.text.indexOf(trimmed) + (match.indices?.[2]?.[0] ?? 0);
        const read = readBackfill(rest, at, comment);
        if ("message" in read) directives.malformed.push(read);
        else directives.backfills.push(read);
        break;
      }
      case "no-transaction":
        directives.noTransaction = true;
        break;
      case "no-rewrite":
        directives.noRewrites.push({
          statementIndex: nextStatement(statements, comment.end),
          start: comment.start,
          end: comment.end,
        });
        break;
      case "ignore":
      case "ignore-file": {
        const [ruleList = "", ...reason] = rest.split("--");
        const fileWide = name === "ignore-file";
        directives.ignores.push({
          rules: ruleList
            .split(/[\s,]+/)
            .map((r) => r.trim())
            .filter(Boolean),
          fileWide,
          statementIndex: fileWide ? null : nextStatement(statements, comment.end),
          start: comment.start,
          end: comment.end,
          reason: reason.join("--").trim() || null,
        });
        break;
      }
      default:
        directives.unknown.push({ start: comment.start, end: comment.end, name });
    }
  }
  return directives;
}

/** The statement a comment ending at `offset` precedes (or sits inside, for a comment within a statement). */
function nextStatement(statements: SqlStatement[], offset: number): number | null {
  for (const statement of statements) if (statement.end > offset) return statement.index;
  return null;
}

export function phaseAt(directives: FileDirectives, offset: number): Phase {
  let phase: Phase = "expand";
  for (const marker of directives.phaseMarkers) {
    if (marker.index > offset) break;
    phase = marker.phase;
  }
  return phase;
}
