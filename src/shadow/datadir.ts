/**
 * The embedded shadow's cached data directory, made small: loading it (untar into PGlite's in-memory file
 * system) is most of PGlite's start-up, and a fresh initdb leaves 40 MB, of which the shadow needs a
 * quarter. Left out: the template databases (plan only uses the `postgres` database), WAL segments before
 * the current one, and the unused (zero) tail of the current segment, which Postgres extends again when it
 * writes. Works on the tar PGlite's dumpDataDir produces (ustar, one header block per entry).
 */

const BLOCK = 512;
const WAL_PAGE = 8192;
/** Zero WAL pages kept after the last written one, so that reading past the last record finds a page. */
const SPARE_WAL_PAGES = 2;

export interface SlimOptions {
  /** Data directory paths (e.g. "base/1") of databases to leave out. */
  dropDirectories: string[];
  /** The WAL segment in use (pg_walfile_name of the current LSN); other segments are left out. */
  walSegment: string;
}

function field(header: Uint8Array, offset: number, length: number): string {
  const bytes = header.subarray(offset, offset + length);
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end === -1 ? bytes : bytes.subarray(0, end));
}

function entryName(header: Uint8Array): string {
  const prefix = field(header, 345, 155);
  const name = field(header, 0, 100);
  return (prefix ? `${prefix}/${name}` : name).replace(/^\/+/, "");
}

function setSize(header: Uint8Array, size: number): void {
  header.set(new TextEncoder().encode(`${size.toString(8).padStart(11, "0")}\0`), 124);
  // The checksum is the byte sum of the header with its own field read as spaces.
  header.fill(0x20, 148, 156);
  const sum = header.reduce((total, byte) => total + byte, 0);
  header.set(new TextEncoder().encode(`${sum.toString(8).padStart(6, "0")}\0 `), 148);
}

/** Length of `data` without trailing zero pages, plus a few spare ones. */
function usedLength(data: Uint8Array): number {
  let end = data.length - (data.length % WAL_PAGE);
  while (end > 0 && data.subarray(end - WAL_PAGE, end).every((b) => b === 0)) end -= WAL_PAGE;
  return Math.min(data.length, end + SPARE_WAL_PAGES * WAL_PAGE);
}

export function slimDataDir(tar: Uint8Array, options: SlimOptions): Uint8Array {
  const dropped = (name: string) =>
    options.dropDirectories.some((d) => name === d || name.startsWith(`${d}/`)) ||
    (/^pg_wal\/[0-9A-F]{24}$/.test(name) && name !== `pg_wal/${options.walSegment}`);
  const parts: Uint8Array[] = [];
  let offset = 0;
  while (offset + BLOCK <= tar.length) {
    const header = tar.slice(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = Number.parseInt(field(header, 124, 12).trim() || "0", 8);
    const dataEnd = offset + BLOCK + size;
    const next = offset + BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    const name = entryName(header);
    if (!dropped(name)) {
      let data = tar.subarray(offset + BLOCK, dataEnd);
      if (name === `pg_wal/${options.walSegment}`) {
        data = data.subarray(0, usedLength(data));
        setSize(header, data.length);
      }
      parts.push(header, data, new Uint8Array((BLOCK - (data.length % BLOCK)) % BLOCK));
    }
    offset = next;
  }
  parts.push(new Uint8Array(2 * BLOCK));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
