/**
 * CREATE [UNIQUE] INDEX on a partitioned table. Postgres cannot build it CONCURRENTLY there, and the plain
 * form holds SHARE on the parent and every partition for the whole build. The route: the index ON ONLY
 * the parent (INVALID, built from nothing), a concurrent build on each partition, each attached to the
 * parent's index, which becomes valid once every partition has one. A sub-partitioned partition gets the
 * same route one level down. Each concurrent build is a step of its own that the executor makes safe to
 * repeat (an INVALID leftover is dropped and rebuilt); each attach runs in a transaction with its history
 * record, so it is never run twice.
 */

import type { IndexStmt } from "libpg-query";
import type { AnalyzedStatement, PartitionTree } from "../analysis/model.js";
import type { RuleId } from "../analysis/rules/index.js";
import { cloneTree } from "./deparse.js";
import { attachIndex, indexOn, rangeVar } from "./partition-names.js";
import { defaultIndexName } from "./pg-names.js";
import type { PieceDraft } from "./piece.js";

const RESOLVES: RuleId[] = ["create-index-non-concurrent"];

/** The route's pieces; null when the statement needs none (ON ONLY, a new table) or has none. */
export function rewritePartitionedIndex(stmt: IndexStmt, statement: AnalyzedStatement): PieceDraft[] | null {
  const { partitioned, noPartitionRoute, locks, target } = statement.effects;
  if (!partitioned || noPartitionRoute) return null;
  if (!statement.effects.concurrent && !locks.some((l) => l.relation === target && l.existing)) return null;
  const drafts: PieceDraft[] = [];
  indexRoute(stmt, partitioned, stmt.idxname ?? defaultIndexName(stmt), drafts);
  return drafts;
}

function indexRoute(stmt: IndexStmt, tree: PartitionTree, name: string, drafts: PieceDraft[]): void {
  const only = forTable(stmt, tree.table, name);
  only.relation = rangeVar(tree.table, true);
  drafts.push({ ast: { IndexStmt: only }, alone: false, resolves: RESOLVES });
  const parentIndex = indexOn(tree.table, name);
  for (const partition of tree.partitions) {
    const childName = defaultIndexName({ ...stmt, relation: rangeVar(partition.table) });
    if (partition.partitioned) indexRoute(stmt, partition, childName, drafts);
    else {
      const build = forTable(stmt, partition.table, childName);
      build.concurrent = true;
      drafts.push({ ast: { IndexStmt: build }, alone: true, resolves: RESOLVES });
    }
    drafts.push({
      ast: attachIndex(parentIndex, indexOn(partition.table, childName)),
      alone: false,
      resolves: RESOLVES,
    });
  }
}

/** The statement's index, on `table` (a display name) under `name` (an index name, no schema), not concurrent. */
function forTable(stmt: IndexStmt, table: string, name: string): IndexStmt {
  const copy = cloneTree(stmt);
  copy.relation = rangeVar(table);
  copy.idxname = name;
  delete copy.concurrent;
  return copy;
}
