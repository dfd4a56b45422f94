/**
 * A migration's down part, for `rollback` (docs/rollback.md): its `-- safemigrate:rollback` sections, else
 * the down file or down section of its layout. Read only when a rollback asks for it, so that discovery for
 * lint, plan and up reads no more files than before.
 */
import { access } from "node:fs/promises";
import { layoutByName } from "./layouts/index.js";
import { readText } from "./listing.js";
import type { Migration, MigrationFile } from "./migration.js";
import { checksum } from "./read-file.js";
import { downPart } from "./sections.js";

/** Where a down part came from, for messages and events. */
export type DownSource = "rollback-section" | "down-file" | "down-section";

export interface DownPart {
  source: DownSource;
  /**
   * The down part as a migration of its own (same version and name), whose `file.upText` is the down SQL
   * with the file's geometry kept and `file.rollback` set: lint, steps and the executor read it as they read
   * an up part.
   */
  migration: Migration;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

function part(migration: Migration, source: DownSource, file: MigrationFile): DownPart {
  return {
    source,
    migration: {
      version: migration.version,
      name: migration.name,
      layout: migration.layout,
      file: { ...file, rollback: true },
      checksum: checksum(file.upText),
    },
  };
}

/** What the layout's down parts are called, for the message about a migration without one. */
export function downPartNames(migration: Migration): string {
  const down = layoutByName(migration.layout).down;
  const where = !down
    ? `${migration.layout} keeps no down part`
    : "files" in down
      ? `no ${down.files(migration.file.path).join(" or ")}`
      : "part" in down
        ? `no ${down.name}`
        : `no ${down.sections.map((k) => (k === "goose" ? "-- +goose Down" : "-- migrate:down")).join(" or ")} section`;
  return `no -- safemigrate:rollback section, ${where}`;
}

/** The migration's down part; null when it has none (the caller refuses it, naming `downPartNames`). */
export async function readDownPart(migration: Migration): Promise<DownPart | null> {
  const { file } = migration;
  const { runsInTransaction } = file;
  if (file.rollbackText !== undefined) {
    // The up part's own transaction opt-outs (goose NO TRANSACTION, diesel metadata) cover the whole file.
    return part(migration, "rollback-section", { ...file, upText: file.rollbackText });
  }
  const down = layoutByName(migration.layout).down;
  if (!down || migration.go) return null;
  const section = (downText: string, noTransaction: boolean) =>
    part(migration, "down-section", {
      ...file,
      upText: downText,
      noTransaction,
      runsInTransaction: runsInTransaction && !noTransaction,
    });
  if ("part" in down) {
    const found = down.part(file.text);
    // The file's opt-out (node-pg-migrate `-- no transaction`) covers both parts.
    return found && section(found.downText, found.noTransaction || file.noTransaction);
  }
  if ("sections" in down) {
    for (const kind of down.sections) {
      const found = downPart(file.text, kind);
      if (found)
        return section(found.downText, found.noTransaction || (kind === "goose" && file.noTransaction));
    }
    return null;
  }
  for (const path of down.files(file.path)) {
    if (!(await exists(path))) continue;
    const text = (await readText(path)).replace(/^\uFEFF/, "");
    return part(migration, "down-file", {
      path,
      text,
      upText: text,
      runsInTransaction,
      noTransaction: file.noTransaction,
    });
  }
  return null;
}
