/**
 * Up/down sections of goose and dbmate files. The result keeps the file's geometry: everything outside the up
 * part is blanked to spaces with line breaks kept, so offsets, lines and columns are those of the original.
 */

export type MarkerKind = "goose" | "dbmate";

export interface UpPart {
  upText: string;
  /** The file opts out of a transaction with its tool's marker. */
  noTransaction: boolean;
  /** Which tool's section markers the file contains, if any. */
  markers: MarkerKind | null;
}

type Marker = { kind: MarkerKind; section: "up" | "down" | null; noTransaction: boolean };

// `-- +goose Up`, `-- +goose Down`, `-- +goose NO TRANSACTION`, `-- +goose StatementBegin` ... (goose trims and
// ignores case).
const GOOSE = /^\s*--\s*\+goose\s+(.*?)\s*$/i;
// `-- migrate:up [transaction:false]`, `-- migrate:down` (dbmate: `^--\s*migrate:up(.*)$`).
const DBMATE = /^\s*--\s*migrate:(up|down)\b(.*)$/;

function parseMarker(line: string, accept: readonly MarkerKind[]): Marker | null {
  if (accept.includes("goose")) {
    const goose = GOOSE.exec(line);
    if (goose) {
      const command = (goose[1] as string).toLowerCase().replace(/\s+/g, " ");
      const section = command === "up" ? "up" : command === "down" ? "down" : null;
      return { kind: "goose", section, noTransaction: command === "no transaction" };
    }
  }
  if (accept.includes("dbmate")) {
    const dbmate = DBMATE.exec(line);
    if (dbmate) {
      const section = dbmate[1] === "up" ? "up" : "down";
      const noTransaction = section === "up" && /(?:^|\s)transaction:\s*false\b/.test(dbmate[2] as string);
      return { kind: "dbmate", section, noTransaction };
    }
  }
  return null;
}

/** `text` with every character but line breaks replaced by a space. */
export function blank(text: string): string {
  return text.replace(/[^\r\n]/g, " ");
}

/** The lines of `text` with their line breaks attached (the last one may have none). */
function lines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * The up part of a file that may contain goose or dbmate section markers (`accept` limits which are honoured).
 * Without any up marker, everything before the first down marker is up (a file with no markers is all up).
 * The up marker lines stay (they are comments); down sections, their markers and any text before the first
 * up marker are blanked. Goose `StatementBegin/End` and other annotations are comments and stay as they are.
 */
export function upPart(text: string, accept: readonly MarkerKind[] = ["goose", "dbmate"]): UpPart {
  const parsed = lines(text).map((line) => ({
    line,
    marker: parseMarker(line.replace(/\r?\n$/, ""), accept),
  }));
  const hasUp = parsed.some((p) => p.marker?.section === "up");
  let inUp = !hasUp;
  let noTransaction = false;
  let markers: MarkerKind | null = null;
  let out = "";
  for (const { line, marker } of parsed) {
    if (marker) {
      markers ??= marker.kind;
      if (marker.noTransaction) noTransaction = true;
      if (marker.section) inUp = marker.section === "up";
    }
    out += inUp ? line : blank(line);
  }
  return { upText: out, noTransaction, markers };
}

/** Whether `text` contains any section marker of the given kind (used to detect goose and dbmate directories). */
export function hasMarkers(text: string, kind: MarkerKind): boolean {
  return kind === "goose"
    ? /^\s*--\s*\+goose\s+(up|down)\b/im.test(text)
    : /^\s*--\s*migrate:(up|down)\b/m.test(text);
}

/** The file's `-- safemigrate:rollback` sections, taken out of its up part. */
export interface RollbackSplit {
  /** The up part without the rollback sections (they and their marker lines are blanked). */
  upText: string;
  /**
   * The rollback sections alone, same geometry (everything else blanked, marker lines too); null when the
   * file has no rollback marker.
   */
  rollbackText: string | null;
  /**
   * What the checksum covers: the up part with the rollback sections' lines left out (not blanked), so that
   * adding or editing a rollback section leaves the checksum of the file as it was without one.
   */
  checksumText: string;
}

// A line of its own: `-- safemigrate:rollback`, optionally followed by a comment.
const ROLLBACK = /^\s*--\s*safemigrate:rollback(?:\s.*)?$/;
// A phase marker ends a rollback section.
const PHASE = /^\s*--\s*safemigrate:(?:expand|contract)(?:\s.*)?$/;

/**
 * Splits the `-- safemigrate:rollback` sections off an up part (docs/rollback.md): a section runs from its
 * marker line to the next `-- safemigrate:expand` or `-- safemigrate:contract` marker line, or to the end of
 * the up part (the up part of a goose or dbmate file ends at its down marker). The rollback is not part of
 * the up part: not linted with it, not run by `up`, not in its checksum, so it can be written after the
 * migration ran.
 */
export function splitRollback(upText: string): RollbackSplit {
  const none = { upText, rollbackText: null, checksumText: upText };
  if (!/safemigrate:rollback/.test(upText)) return none;
  let up = "";
  let rollback = "";
  let rest = "";
  let found = false;
  let inRollback = false;
  for (const line of lines(upText)) {
    const bare = line.replace(/\r?\n$/, "");
    if (ROLLBACK.test(bare)) {
      found = true;
      inRollback = true;
      up += blank(line);
      rollback += blank(line);
      continue;
    }
    if (PHASE.test(bare)) inRollback = false;
    up += inRollback ? blank(line) : line;
    rollback += inRollback ? line : blank(line);
    if (!inRollback) rest += line;
  }
  return found ? { upText: up, rollbackText: rollback, checksumText: rest } : none;
}

/**
 * The down part of a goose or dbmate file (its down sections, the rest blanked, marker lines too); null
 * when the file has no down marker of that kind. `noTransaction`: goose `NO TRANSACTION` (it covers the
 * whole file) or dbmate `-- migrate:down transaction:false`.
 */
export function downPart(
  text: string,
  kind: MarkerKind,
): { downText: string; noTransaction: boolean } | null {
  let inDown = false;
  let found = false;
  let noTransaction = false;
  let out = "";
  for (const line of lines(text)) {
    const bare = line.replace(/\r?\n$/, "");
    const marker = parseMarker(bare, [kind]);
    if (marker?.noTransaction) noTransaction = true;
    if (marker?.kind === "dbmate" && marker.section === "down" && /\btransaction:\s*false\b/.test(bare))
      noTransaction = true;
    if (marker?.section) {
      inDown = marker.section === "down";
      found ||= inDown;
      out += blank(line);
      continue;
    }
    out += inDown ? line : blank(line);
  }
  return found ? { downText: out, noTransaction } : null;
}
