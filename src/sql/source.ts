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
 * ASCII text, the common case, maps one to one without a table. Otherwise only the non-ASCII characters
 * are recorded (where each starts in bytes and in the string), and an offset is mapped by a binary search
 * over them: building a table with one entry per byte cost more than the rest of the mapping for large
 * files with a few accented comments, and the files of a migration history are mostly ASCII.
 */
export class ByteOffsets {
  /** Per non-ASCII character, in text order: its first byte, its string index, and its width in bytes. */
  private readonly startByte: Uint32Array | null;
  private readonly startIndex: Uint32Array;
  private readonly width: Uint8Array;
  private readonly count: number;
  private readonly length: number;
  private readonly bytes: number;

  constructor(text: string) {
    this.length = text.length;
    this.bytes = Buffer.byteLength(text, "utf8");
    const extra = this.bytes - text.length;
    if (extra === 0) {
      this.startByte = null;
      this.startIndex = new Uint32Array(0);
      this.width = new Uint8Array(0);
      this.count = 0;
      return;
    }
    // Each non-ASCII character adds at least one byte (surrogate pairs: 4 bytes for 2 units, 2 extra).
    const capacity = Math.min(extra, text.length);
    const startByte = new Uint32Array(capacity);
    const startIndex = new Uint32Array(capacity);
    const width = new Uint8Array(capacity);
    let count = 0;
    // The regular expression finds the (rare) non-ASCII units natively, faster than a loop over every unit.
    const nonAscii = /[\u0080-\uffff]/g;
    let added = 0; // bytes beyond one per UTF-16 unit, so far
    for (let match = nonAscii.exec(text); match; match = nonAscii.exec(text)) {
      const i = match.index;
      const code = text.charCodeAt(i);
      let w = code < 0x800 ? 2 : 3;
      let units = 1;
      if (code >= 0xd800 && code <= 0xdbff) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          w = 4;
          units = 2;
          nonAscii.lastIndex = i + 2;
        }
      }
      startByte[count] = i + added;
      startIndex[count] = i;
      width[count] = w;
      count++;
      added += w - units;
    }
    this.startByte = startByte;
    this.startIndex = startIndex;
    this.width = width;
    this.count = count;
  }

  toIndex(byteOffset: number): number {
    const startByte = this.startByte;
    if (startByte === null) return byteOffset;
    if (byteOffset >= this.bytes) return this.length;
    // The last non-ASCII character starting at or before the offset.
    let lo = 0;
    let hi = this.count - 1;
    if (hi < 0 || (startByte[0] as number) > byteOffset) return byteOffset;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((startByte[mid] as number) <= byteOffset) lo = mid;
      else hi = mid - 1;
    }
    const first = startByte[lo] as number;
    const index = this.startIndex[lo] as number;
    const width = this.width[lo] as number;
    // An offset inside a character's bytes maps to the character.
    if (byteOffset < first + width) return index;
    return index + (width === 4 ? 2 : 1) + (byteOffset - first - width);
  }
}
