/**
 * The text of a new migration in a layout (`safemigrate new`): the safemigrate phase sections inside the
 * tool's up part, a `-- safemigrate:rollback` section that undoes the expand (recipes; and the empty
 * migration of a tool without a down part), and the tool's own down part where it keeps one (its file or
 * section), as its generator writes it.
 */
import type { Layout } from "./layouts/index.js";

/** What goes into a new migration; each list holds statements (ending in `;`) and comment lines. */
export interface MigrationParts {
  expand: string[];
  contract: string[];
  /** Undoes the expand, as a rollback section (docs/rollback.md); null: none written (an empty migration). */
  rollback: string[] | null;
  /** The file runs without the tool's transaction (CONCURRENTLY, or transaction blocks of its own). */
  noTransaction: boolean;
}

export interface NewFile {
  /** Relative to the migration directory. */
  rel: string;
  text: string;
}

export const EMPTY_PARTS: MigrationParts = { expand: [], contract: [], rollback: null, noTransaction: false };

/** What a recipe writes in the tool's own down part: the tool's down undoes the whole migration. */
const TOOL_DOWN =
  "-- Undoing the whole migration (with the tool's own down command) after the contract must restore what the\n" +
  "-- contract dropped: write it here if you need it. safemigrate rollback runs the rollback section of the up\n" +
  "-- part, which undoes the expand only.\n";

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
  if (parts.noTransaction && layout.name === "node-pg-migrate") up += "-- no transaction\n";
  // Atlas reads directives from the header comments that an empty line sets apart.
  if (parts.noTransaction && layout.name === "atlas") up += "-- atlas:txmode none\n\n";
  if (scaffold.header) up += `${scaffold.header}\n`;
  if (layout.name === "goose")
    up += `${parts.noTransaction ? "-- +goose NO TRANSACTION\n" : ""}-- +goose Up\n`;
  if (layout.name === "dbmate") up += `-- migrate:up${parts.noTransaction ? " transaction:false" : ""}\n`;
  if (parts.noTransaction) up += "-- safemigrate:no-transaction\n";
  up += `-- safemigrate:expand\n${chunks(layout, parts.expand)}\n-- safemigrate:contract\n${chunks(layout, parts.contract)}`;
  if (parts.rollback !== null || scaffold.downSection === "rollback") {
    const rollback = parts.rollback ?? [];
    // The rollback section is read as a file of its own: its transaction opt-out is its own.
    const alone = parts.noTransaction && rollback.length > 0 ? "-- safemigrate:no-transaction\n" : "";
    up += `\n-- safemigrate:rollback\n${alone}${chunks(layout, rollback)}`;
  }
  const down = parts.rollback === null ? "" : TOOL_DOWN;
  if (scaffold.downSection === "goose") up += `\n-- +goose Down\n${down}`;
  else if (scaffold.downSection === "dbmate") up += `\n-- migrate:down\n${down}`;
  else if (scaffold.downSection === "node-pg-migrate") up += `\n-- Down Migration\n${down}`;
  const files: NewFile[] = [{ rel: paths.up, text: up }];
  if (paths.down) files.push({ rel: paths.down, text: down });
  // diesel's metadata.toml and flyway's .sql.conf opt the file out of the tool's transaction.
  if (parts.noTransaction && layout.sidecar)
    files.push({ rel: layout.sidecar.pathFor(paths.up), text: layout.sidecar.optOut });
  return files;
}
