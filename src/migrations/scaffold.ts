/**
 * The text of a new migration in a layout (`safemigrate new`): the safemigrate phase sections inside the
 * tool's up part, and the down part where the tool keeps it (its own file, the tool's down section, or a
 * `-- safemigrate:rollback` section for tools without one).
 */
import type { Layout } from "./layouts.js";

/** What goes into a new migration; each list holds statements (ending in `;`) and comment lines. */
export interface MigrationParts {
  expand: string[];
  contract: string[];
  /** Undoes the expand. */
  down: string[];
  /** The file runs without the tool's transaction (CONCURRENTLY, or transaction blocks of its own). */
  noTransaction: boolean;
}

export interface NewFile {
  /** Relative to the migration directory. */
  rel: string;
  text: string;
}

export const EMPTY_PARTS: MigrationParts = { expand: [], contract: [], down: [], noTransaction: false };

/**
 * goose splits its files at every `;` outside `StatementBegin/End`: a statement with a dollar-quoted body
 * (a function) is wrapped so that goose runs it whole.
 */
function chunks(layout: Layout, items: string[]): string {
  const text = items.map((item) =>
    layout.name === "goose" && /\$\w*\$/.test(item)
      ? `-- +goose StatementBegin\n${item}\n-- +goose StatementEnd`
      : item,
  );
  return text.length > 0 ? `${text.join("\n")}\n` : "\n";
}

export function scaffoldFiles(
  layout: Layout,
  version: string,
  slug: string,
  parts: MigrationParts,
): NewFile[] {
  const { scaffold } = layout;
  const paths = scaffold.paths(version, slug);
  let up = "";
  if (layout.name === "goose")
    up += `${parts.noTransaction ? "-- +goose NO TRANSACTION\n" : ""}-- +goose Up\n`;
  if (layout.name === "dbmate") up += `-- migrate:up${parts.noTransaction ? " transaction:false" : ""}\n`;
  if (parts.noTransaction) up += "-- safemigrate:no-transaction\n";
  up += `-- safemigrate:expand\n${chunks(layout, parts.expand)}\n-- safemigrate:contract\n${chunks(layout, parts.contract)}`;
  const down = chunks(layout, parts.down);
  if (scaffold.downSection === "goose") up += `\n-- +goose Down\n${down}`;
  else if (scaffold.downSection === "dbmate") up += `\n-- migrate:down\n${down}`;
  else if (scaffold.downSection === "rollback") up += `\n-- safemigrate:rollback\n${down}`;
  const files: NewFile[] = [{ rel: paths.up, text: up }];
  if (paths.down) files.push({ rel: paths.down, text: down === "\n" ? "" : down });
  // diesel's metadata.toml and flyway's .sql.conf opt the file out of the tool's transaction.
  if (parts.noTransaction && layout.sidecar)
    files.push({ rel: layout.sidecar.pathFor(paths.up), text: layout.sidecar.optOut });
  return files;
}
