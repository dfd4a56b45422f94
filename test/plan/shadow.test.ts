/**
 * The embedded shadow's data-directory cache: the slimmed tar (unit), and a cold start that fills the
 * cache followed by a start from it (PGlite, for real).
 */
import { existsSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { slimDataDir } from "../../src/shadow/datadir.js";
import { openEmbeddedShadowHere } from "../../src/shadow/embedded.js";

/** A ustar archive of `files` (name -> content), as PGlite's dumpDataDir writes it. */
function tar(files: Record<string, Uint8Array>): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const [name, data] of Object.entries(files)) {
    const header = new Uint8Array(512);
    const put = (text: string, offset: number) => header.set(new TextEncoder().encode(text), offset);
    put(name, 0);
    put("0000600\0", 100);
    put(`${data.length.toString(8).padStart(11, "0")}\0`, 124);
    put("ustar\0", 257);
    header.fill(0x20, 148, 156);
    put(
      `${header
        .reduce((a, b) => a + b, 0)
        .toString(8)
        .padStart(6, "0")}\0 `,
      148,
    );
    blocks.push(header, data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/** Entry names and sizes of a tar, checking each header's checksum. */
function list(archive: Uint8Array): Array<[string, number]> {
  const entries: Array<[string, number]> = [];
  for (let at = 0; at + 512 <= archive.length; ) {
    const header = archive.slice(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const text = (from: number, length: number) =>
      new TextDecoder().decode(header.subarray(from, from + length)).replace(/\0.*$/s, "");
    const size = Number.parseInt(text(124, 12), 8);
    const stored = Number.parseInt(text(148, 8).trim(), 8);
    header.fill(0x20, 148, 156);
    expect(header.reduce((a, b) => a + b, 0)).toBe(stored);
    entries.push([text(0, 100), size]);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

describe("slimDataDir", () => {
  it("drops the other databases and WAL segments, and cuts the current segment's zero tail", () => {
    const wal = new Uint8Array(16 * 8192);
    wal.fill(7, 0, 8192 + 10);
    const archive = tar({
      "/PG_VERSION": new TextEncoder().encode("18\n"),
      "/base/1/1259": new Uint8Array(8192),
      "/base/5/1259": new Uint8Array(8192).fill(1),
      "/base/50/1259": new Uint8Array(100),
      "/pg_wal/000000010000000000000001": new Uint8Array(8192).fill(3),
      "/pg_wal/000000010000000000000002": wal,
    });
    const slim = slimDataDir(archive, {
      dropDirectories: ["base/1"],
      walSegment: "000000010000000000000002",
    });
    expect(list(slim)).toEqual([
      ["/PG_VERSION", 3],
      ["/base/5/1259", 8192],
      ["/base/50/1259", 100],
      // Two used pages, then two spare zero pages.
      ["/pg_wal/000000010000000000000002", 4 * 8192],
    ]);
  });
});

describe("embedded shadow cache", () => {
  it("fills the cache on a cold start and starts from it afterwards", async () => {
    const cache = await mkdtemp(join(tmpdir(), "sm-cache-"));
    try {
      const env = { SAFEMIGRATE_CACHE_DIR: cache };
      const cold = await openEmbeddedShadowHere({ extensions: [], env });
      await cold.close();
      const [file] = (await import("node:fs")).readdirSync(cache);
      expect(file).toMatch(/^pglite-.*-datadir-slim\.tar$/);
      const path = join(cache, file as string);
      expect(existsSync(path)).toBe(true);
      expect(statSync(path).size).toBeLessThan(16 * 1024 * 1024);
      const warm = await openEmbeddedShadowHere({ extensions: ["pg_trgm"], env });
      try {
        await warm.exec(
          "CREATE EXTENSION pg_trgm; CREATE TABLE t (a text); CREATE INDEX ON t USING gin (a gin_trgm_ops)",
        );
        expect(await warm.rows("SELECT count(*)::int AS n FROM pg_class WHERE relname = 't'")).toEqual([
          { n: 1 },
        ]);
      } finally {
        await warm.close();
      }
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });
});
