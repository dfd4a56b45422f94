/**
 * ALTER TABLE on a partitioned table. CHECK and SET NOT NULL keep the routes of ./rewrite-alter.ts: ADD
 * CHECK ... NOT VALID and VALIDATE work on a partitioned parent and recurse (VALIDATE scans each partition
 * under SHARE UPDATE EXCLUSIVE; SET NOT NULL after the validated CHECK scans none, measured on 14 and 18).
 * Two sub-commands need a route through the partitions instead:
 *
 * - a foreign key before Postgres 18, which rejects ADD FOREIGN KEY ... NOT VALID on a partitioned table:
 *   each leaf partition gets the key NOT VALID, then VALIDATE in a transaction of its own, and the
 *   parent's key last; Postgres attaches the partitions' validated keys to it without a scan.
 * - UNIQUE / PRIMARY KEY, whose index cannot be built CONCURRENTLY on the parent: the constraint ONLY on
 *   the parent (an INVALID index), then per partition a concurrent unique index, the constraint USING
 *   INDEX, and ALTER INDEX ... ATTACH PARTITION; the parent's index becomes valid with the last one.
 *
 * What has no route (src/analysis/partition-routes.ts) stays as written, for the lint gate to stop.
 */

import type { Constraint, Node } from "libpg-query";
import type { AnalyzedStatement, CommandEffects, PartitionTree } from "../analysis/model.js";
import { leaves } from "../analysis/partition-registry.js";
import { commandRoute } from "../analysis/partition-routes.js";
import type { RuleId } from "../analysis/rules/index.js";
import { addConstraint } from "./alter-parts.js";
import { cloneTree } from "./deparse.js";
import { attachIndex, indexOn, rangeVar, relname } from "./partition-names.js";
import { makeObjectName, nameAddition } from "./pg-names.js";
import type { PieceDraft } from "./piece.js";
import { rewriteAlterTable } from "./rewrite-alter.js";
import { notValid } from "./rewrite-not-valid.js";
import { uniqueIndexFor } from "./rewrite-unique-index.js";

export function rewritePartitionedAlter(
  statement: AnalyzedStatement,
  pgVersion: number,
): PieceDraft[] | null {
  const { partitioned, noPartitionRoute, commands } = statement.effects;
  if (!partitioned || noPartitionRoute)
    return noPartitionRoute ? null : rewriteAlterTable(statement, pgVersion);
  const command = commands.find((c) => commandRoute(c, pgVersion) !== null);
  if (!command?.constraint) return command ? null : rewriteAlterTable(statement, pgVersion);
  const constraint = command.constraint.ast;
  return commandRoute(command, pgVersion) === "foreign-key"
    ? foreignKeyRoute(partitioned, constraint, command)
    : uniqueRoute(partitioned, constraint, command.constraint.columns);
}

const alter = (table: string, cmds: Node[], only = false): Node => ({
  AlterTableStmt: { relation: rangeVar(table, only), cmds, objtype: "OBJECT_TABLE" },
});

function foreignKeyRoute(tree: PartitionTree, fk: Constraint, command: CommandEffects): PieceDraft[] {
  const resolves: RuleId[] = ["constraint-missing-not-valid"];
  const name =
    fk.conname ??
    makeObjectName(relname(tree.table), nameAddition(command.constraint?.columns ?? []), "fkey");
  const named = { ...cloneTree(fk), conname: name };
  const partitions = leaves(tree);
  const validate: Node = {
    AlterTableCmd: { subtype: "AT_ValidateConstraint", name, behavior: "DROP_RESTRICT" },
  };
  return [
    ...partitions.map((p) => ({
      ast: alter(p, [addConstraint(notValid(fk, name))]),
      alone: false,
      resolves,
    })),
    ...partitions.map((p) => ({ ast: alter(p, [validate]), alone: true, resolves })),
    { ast: alter(tree.table, [addConstraint(named)]), alone: false, resolves },
  ];
}

function uniqueRoute(tree: PartitionTree, constraint: Constraint, columns: string[]): PieceDraft[] {
  const resolves: RuleId[] = ["unique-constraint-without-index"];
  const drafts: PieceDraft[] = [];
  const primary = constraint.contype === "CONSTR_PRIMARY";
  const nameFor = (table: string) =>
    makeObjectName(relname(table), primary ? null : nameAddition(columns), primary ? "pkey" : "key");
  const route = (node: PartitionTree, name: string, definition: Constraint) => {
    drafts.push({
      ast: alter(node.table, [addConstraint({ ...definition, conname: name })], true),
      alone: false,
      resolves,
    });
    for (const partition of node.partitions) {
      const childName = nameFor(partition.table);
      if (partition.partitioned) route(partition, childName, withoutName(definition));
      else {
        // Named as Postgres names the partition's own constraint; the index takes that name when adopted.
        const { index, attach } = uniqueIndexFor(rangeVar(partition.table), withoutName(definition), columns);
        drafts.push({
          ast: { IndexStmt: { ...index, relation: rangeVar(partition.table) } },
          alone: true,
          resolves,
        });
        drafts.push({ ast: alter(partition.table, [addConstraint(attach)]), alone: false, resolves });
      }
      drafts.push({
        ast: attachIndex(indexOn(node.table, name), indexOn(partition.table, childName)),
        alone: false,
        resolves,
      });
    }
  };
  route(tree, constraint.conname ?? nameFor(tree.table), withoutName(constraint));
  return drafts;
}

/** The constraint without its name: partitions get the names Postgres gives them (`part_pkey`). */
function withoutName(constraint: Constraint): Constraint {
  const copy = cloneTree(constraint);
  delete copy.conname;
  return copy;
}
