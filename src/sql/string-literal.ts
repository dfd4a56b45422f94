/**
 * Where the characters of a string constant's value are in the source text: a DO block's body is
 * analysed as its value (escapes undone), and its findings must point at the file.
 */

/**
 * For the string constant starting at `start` in `text` (dollar-quoted, '...' with '' doubled, or
 * E'...' with backslash escapes; adjacent constants joined by a newline continue it, as Postgres reads
 * them), the file index of each character of `value`; null when the constant is not one of those or its
 * value does not match (`U&'...'`), so that callers fall back to the statement's own position.
 */
export function literalIndices(text: string, start: number, value: string): number[] | null {
  const dollar = /^\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(text.slice(start, start + 200));
  let indices: number[];
  if (dollar) {
    const from = start + dollar[0].length;
    indices = Array.from({ length: value.length }, (_, i) => from + i);
    if (text.slice(from, from + value.length) !== value) return null;
  } else {
    const escapes = text[start] === "E" || text[start] === "e";
    const quote = escapes ? start + 1 : start;
    if (text[quote] !== "'") return null;
    indices = quotedIndices(text, quote, escapes);
  }
  return indices.length === value.length ? indices : null;
}

function quotedIndices(text: string, quote: number, escapes: boolean): number[] {
  const indices: number[] = [];
  let i = quote + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === "'") {
      if (text[i + 1] === "'") {
        // The second quote: a value's last character is more often a closing quote than its first an opening one.
        indices.push(i + 1);
        i += 2;
        continue;
      }
      // 'a'\n'b' is one constant 'ab'.
      const next = /^[ \t\f\r]*\n\s*'/.exec(text.slice(i + 1, i + 200));
      if (!next) break;
      i += 1 + next[0].length;
      continue;
    }
    if (escapes && c === "\\") {
      indices.push(i);
      i += escapeLength(text, i);
      continue;
    }
    indices.push(i);
    i++;
  }
  return indices;
}

/** The length of the backslash escape at `i` (octal, hex and Unicode escapes are one character each). */
function escapeLength(text: string, i: number): number {
  const rest = text.slice(i + 1, i + 10);
  const match =
    /^[0-7]{1,3}/.exec(rest) ??
    /^x[0-9A-Fa-f]{1,2}/.exec(rest) ??
    /^u[0-9A-Fa-f]{4}/.exec(rest) ??
    /^U[0-9A-Fa-f]{8}/.exec(rest);
  return 1 + (match ? match[0].length : 1);
}
