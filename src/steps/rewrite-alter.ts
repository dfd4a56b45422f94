/**
 * ALTER TABLE rewrites. The statement keeps every sub-command that is safe as written, in order, with
 * constraints turned NOT VALID and SET NOT NULL replaced by a NOT VALID helper CHECK; what follows runs in
 * later steps: the validations (each after a commit, in a transaction of their own), SET NOT NULL with
 * the helper dropped, concurrent unique index builds, and the constraints attached with USING INDEX.
 * Each sub-command's rewrite has a file of its own; this one walks the sub-commands and assembles.
 */
import type { AlterTableCmd, AlterTableStmt, Node } from "libpg-query";
import type { AnalyzedStatement, CommandEffects } from "../analysis/model.js";
import { nodeBody } from "../sql/ast.js";
import { type AlterParts, addConstraint } from "./alter-parts.js";
import { cloneTree } from "./deparse.js";
import type { PieceDraft } from "./piece.js";
import { splitInlineForeignKey } from "./rewrite-inline-foreign-key.js";
import { rewriteNotValid } from "./rewrite-not-valid.js";
import { notNullRoute } from "./rewrite-set-not-null.js";
import { rewriteUniqueThroughIndex } from "./rewrite-unique-index.js";

export function rewriteAlterTable(statement: AnalyzedStatement, pgVersion: number): PieceDraft[] | null {
  const stmt = nodeBody<AlterTableStmt>(statement.sql.ast ?? undefined, "AlterTableStmt");
  if (!stmt || (stmt.objtype ?? "OBJECT_TABLE") !== "OBJECT_TABLE") return null;
  const parts: AlterParts = {
    relation: stmt.relation ?? {},
    table: stmt.relation?.relname ?? "",
    missingOk: stmt.missing_ok === true,
    keep: [],
    validate: [],
    setNotNull: [],
    builds: [],
    resolves: new Set(),
  };
  statement.effects.commands.forEach((command, i) => {
    const node = (stmt.cmds ?? [])[i] as Node;
    if (!rewriteCommand(command, pgVersion, parts)) parts.keep.push(cloneTree(node));
  });
  if (parts.resolves.size === 0) return null;
  return assemble(stmt, parts);
}

/** Adds the command's safe form to the parts of the rewrite; false when the command stays as written. */
function rewriteCommand(command: CommandEffects, pgVersion: number, parts: AlterParts): boolean {
  if (command.subtype === "AT_AddConstraint" && command.constraint && command.scan)
    return rewriteNotValid(command, parts) || rewriteUniqueThroughIndex(command, pgVersion, parts);
  if (command.subtype === "AT_AddColumn" && command.addColumn?.references && command.column)
    return splitInlineForeignKey(command, parts);
  if (command.subtype === "AT_SetNotNull" && command.scan && command.column && pgVersion >= 12) {
    notNullRoute(command.column, parts);
    parts.resolves.add("set-not-null-full-scan");
    return true;
  }
  return false;
}

/** The pieces, in dependency order. */
function assemble(stmt: AlterTableStmt, parts: AlterParts): PieceDraft[] {
  const resolves = [...parts.resolves];
  const alter = (cmds: Node[]): Node => ({
    AlterTableStmt: {
      relation: cloneTree(stmt.relation),
      cmds,
      objtype: "OBJECT_TABLE",
      ...(stmt.missing_ok ? { missing_ok: true } : {}),
    },
  });
  const cmd = (subtype: string, name: string): Node => ({
    AlterTableCmd: { subtype: subtype as AlterTableCmd["subtype"], name, behavior: "DROP_RESTRICT" },
  });
  const drafts: PieceDraft[] = [];
  const add = (ast: Node, alone: boolean) => drafts.push({ ast, alone, resolves });
  if (parts.keep.length > 0) add(alter(parts.keep), false);
  if (parts.validate.length > 0)
    add(alter(parts.validate.map((name) => cmd("AT_ValidateConstraint", name))), true);
  if (parts.setNotNull.length > 0) {
    // Two statements in one transaction: in one ALTER TABLE, Postgres drops the constraints before it
    // checks the new NOT NULLs, so the helper CHECK would be gone and the whole table scanned.
    add(alter(parts.setNotNull.map(({ column }) => cmd("AT_SetNotNull", column))), false);
    add(alter(parts.setNotNull.map(({ helper }) => cmd("AT_DropConstraint", helper))), false);
  }
  for (const { index } of parts.builds)
    add({ IndexStmt: { ...index, relation: cloneTree(stmt.relation) } }, true);
  if (parts.builds.length > 0) add(alter(parts.builds.map(({ attach }) => addConstraint(attach))), false);
  return drafts;
}
