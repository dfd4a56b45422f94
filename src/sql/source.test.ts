import { describe, expect, it } from "vitest";
import { ByteOffsets, SourceText } from "./source.js";

/** The straightforward mapping (one table entry per byte), as the reference for the compact one. */
function reference(text: string): (byte: number) => number {
  const bytes = Buffer.byteLength(text, "utf8");
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
  return (offset) => table[Math.min(offset, bytes)] as number;
}

describe("ByteOffsets", () => {
  it("maps ASCII one to one", () => {
    const offsets = new ByteOffsets("SELECT 1;");
    expect(offsets.toIndex(0)).toBe(0);
    expect(offsets.toIndex(7)).toBe(7);
  });

  it("maps every byte of mixed text like a per-byte table", () => {
    const pieces = ["a", "é", "注", "😀", "\n", "--", "ß", " ", "\u{10348}", "x"];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 200; round++) {
      let text = "";
      for (let i = 0, n = Math.floor(random() * 40); i < n; i++) {
        text += pieces[Math.floor(random() * pieces.length)];
      }
      const expected = reference(text);
      const offsets = new ByteOffsets(text);
      for (let b = 0; b <= Buffer.byteLength(text); b++) expect(offsets.toIndex(b)).toBe(expected(b));
    }
  });

  it("treats a lone surrogate as the 3-byte replacement character", () => {
    const text = "a\ud800b";
    expect(Buffer.byteLength(text)).toBe(5);
    const offsets = new ByteOffsets(text);
    expect([0, 1, 2, 3, 4, 5].map((b) => offsets.toIndex(b))).toEqual([0, 1, 1, 1, 2, 3]);
  });
});

describe("SourceText", () => {
  it("counts columns in characters after non-ASCII text", () => {
    const source = new SourceText("-- 😀 注\nSELECT 'é', x;\n");
    expect(source.position(source.text.indexOf("x"))).toEqual({ line: 2, column: 13 });
    expect(source.position(source.text.indexOf("注"))).toEqual({ line: 1, column: 6 });
    expect(source.lineText(2)).toBe("SELECT 'é', x;");
  });
});
