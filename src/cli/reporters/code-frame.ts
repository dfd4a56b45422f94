/**
 * The lines of a finding's range with a line-number gutter and a `^` underline under the reported part
 * of its first line. Columns count characters (code points); the underline is laid out in terminal
 * cells, so it stays under the right characters after tabs, wide (CJK, emoji) and combining characters.
 */
import type { SourceText } from "../../sql/source.js";
import type { Palette } from "../io.js";

export interface Range {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Longer ranges (function bodies) show their first lines and a count of the rest. */
const MAX_LINES = 6;
const TAB_STOP = 4;

function cellWidth(code: number): number {
  if ((code >= 0x300 && code <= 0x36f) || code === 0x200b || code === 0x200d || code === 0xfe0f) return 0;
  if (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x1f900 && code <= 0x1f9ff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  )
    return 2;
  return 1;
}

/** Per character of a line: what to print (tabs expanded) and how many cells it takes. */
function layout(line: string): { text: string; cells: number[] } {
  let text = "";
  const cells: number[] = [];
  let column = 0;
  for (const char of line) {
    if (char === "\t") {
      const width = TAB_STOP - (column % TAB_STOP);
      text += " ".repeat(width);
      cells.push(width);
      column += width;
      continue;
    }
    const width = cellWidth(char.codePointAt(0) as number);
    text += char;
    cells.push(width);
    column += width;
  }
  return { text, cells };
}

function sum(values: number[], from: number, to: number): number {
  let total = 0;
  for (let i = from; i < to && i < values.length; i++) total += values[i] as number;
  return total;
}

export function codeFrame(source: SourceText, range: Range, paint: Palette): string[] {
  const last = Math.min(range.endLine, range.line + MAX_LINES - 1, source.lineCount);
  const hidden = range.endLine - last;
  const shownLast = hidden > 0 ? last - 1 : last;
  const width = String(shownLast).length;
  const gutter = (label: string) => paint.dim(`${label.padStart(width)} | `);
  const out: string[] = [];
  for (let line = range.line; line <= shownLast; line++) {
    const { text, cells } = layout(source.lineText(line));
    out.push(`${gutter(String(line))}${text}`);
    if (line !== range.line) continue;
    const from = range.column - 1;
    const to = range.endLine === range.line ? range.endColumn - 1 : cells.length;
    const caretCells = Math.max(1, sum(cells, from, to));
    out.push(`${gutter("")}${" ".repeat(sum(cells, 0, from))}${paint.red("^".repeat(caretCells))}`);
  }
  if (hidden > 0) {
    const more = hidden + 1;
    out.push(`${gutter("")}${paint.dim(`... ${more} more line${more === 1 ? "" : "s"}`)}`);
  }
  return out;
}
