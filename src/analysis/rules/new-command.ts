/**
 * The `safemigrate new` command that writes the safe version of a statement, names filled in, for the
 * help of the rules whose way out is a recipe (docs/recipes.md).
 */
import type { Node } from "libpg-query";
import { migrationSlug } from "../../migrations/names.js";
import { nodeBody } from "../../sql/ast.js";
import { backfillDirective } from "../../sql/backfill.js";
import { quoteIdentIfNeeded } from "../../sql/identifier.js";
import { expressionText } from "../../sql/print.js";
import type { AnalyzedStatement } from "../model.js";

/** A name as `safemigrate new` and the backfill directive read it: quoted where Postgres needs it. */
const sqlName = quoteIdentIfNeeded;

/** The model's display name (`name`, or `schema.name` outside public) as a dotted name for the command line. */
export function cliName(display: string, ...more: string[]): string {
  const dot = display.indexOf(".");
  const parts = dot === -1 ? [display] : [display.slice(0, dot), display.slice(dot + 1)];
  return [...parts, ...more].map(sqlName).join(".");
}

/** One shell word: as it is when it is safe, else in single quotes. */
function shellWord(text: string): string {
  return /^[A-Za-z0-9_.,:=@%+/-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

export function newCommand(name: string, args: string[]): string {
  return `\`${["safemigrate new", migrationSlug(name), ...args.map(shellWord)].join(" ")}\``;
}

interface ColumnDefNode {
  typeName?: Node;
  raw_default?: Node;
}

/** The ColumnDef of the ALTER TABLE sub-command on `column` of the given subtype (ADD COLUMN, ALTER TYPE). */
export function columnDef(
  statement: AnalyzedStatement,
  subtype: string,
  column: string,
): ColumnDefNode | null {
  const alter = nodeBody<{ cmds?: Node[] }>(statement.sql.ast ?? undefined, "AlterTableStmt");
  for (const cmd of alter?.cmds ?? []) {
    const body = nodeBody<{ subtype?: string; name?: string; def?: Node }>(cmd, "AlterTableCmd");
    const def = nodeBody<ColumnDefNode & { colname?: string }>(body?.def, "ColumnDef");
    if (body?.subtype === subtype && (body.name ?? def?.colname) === column) return def ?? null;
  }
  return null;
}

/** A type name as written (TypeName node), for the command line. */
export function typeText(node: Node | undefined): string | null {
  if (!node) return null;
  try {
    return expressionText({ TypeName: node } as unknown as Node);
  } catch {
    return null;
  }
}

/** `UPDATE t SET ... WHERE ...` as the backfill directive that runs it in batches; null for anything else. */
export function backfillFor(statement: AnalyzedStatement, table: string): string | null {
  const update = nodeBody<{
    targetList?: Node[];
    whereClause?: Node;
    fromClause?: Node[];
    returningList?: Node[];
  }>(statement.sql.ast ?? undefined, "UpdateStmt");
  if (!update?.targetList || update.fromClause?.length || update.returningList?.length) return null;
  try {
    const set = update.targetList
      .map((t) => {
        const target = nodeBody<{ name?: string; val?: Node; indirection?: Node[] }>(t, "ResTarget");
        if (!target?.name || !target.val || target.indirection?.length) throw new Error("not a plain SET");
        return `${sqlName(target.name)} = ${expressionText(target.val)}`;
      })
      .join(", ");
    const where = update.whereClause ? expressionText(update.whereClause) : null;
    return backfillDirective({ table: cliName(table), set, where });
  } catch {
    return null;
  }
}
