/** Position helpers for one source text: string index -> 1-based line and column (columns count code points). */
export interface Position {
  line: number;
  column: number;
}

export class SourceText {
  readonly text: string;
  private readonly lineStarts: number[];

  constructor(text: string) {
    this.text = text;
    this.lineStarts = [0];
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.lineStarts.push(i + 1);
  }

  position(index: number): Position {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= index) lo = mid;
      else hi = mid - 1;
    }
    const lineStart = this.lineStarts[lo] as number;
    return { line: lo + 1, column: codePointLength(this.text, lineStart, index) + 1 };
  }

  lineText(line: number): string {
    const start = this.lineStarts[line - 1] ?? this.text.length;
    const next = this.lineStarts[line];
    return this.text.slice(start, next === undefined ? undefined : next - 1).replace(/\r$/, "");
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }
}

function codePointLength(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < to) i++;
    count++;
  }
  return count;
}

/**
 * Maps UTF-8 byte offsets (what libpg-query reports) to string indices.
 * ASCII text, the common case, maps one to one without a table.
 */
export class ByteOffsets {
  private readonly table: Uint32Array | null;

  constructor(text: string) {
    const bytes = Buffer.byteLength(text, "utf8");
    if (bytes === text.length) {
      this.table = null;
      return;
    }
    const table = new Uint32Array(bytes + 1);
    let byte = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.codePointAt(i) as number;
      const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      for (let k = 0; k < width; k++) table[byte + k] = i;
      byte += width;
      if (code >= 0x10000) i++;
    }
    table[bytes] = text.length;
    this.table = table;
  }

  toIndex(byteOffset: number): number {
    if (this.table === null) return byteOffset;
    return this.table[Math.min(byteOffset, this.table.length - 1)] as number;
  }
}
