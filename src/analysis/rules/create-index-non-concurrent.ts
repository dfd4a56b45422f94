import { defineRule, existingTarget } from "../rule.js";
import { partitionRouteNote, partitionsPhrase } from "./statement-facts.js";

const PARTITION_ROUTE =
  "plan/up build it ON ONLY the parent, CONCURRENTLY on each partition, then ATTACH each partition's index";

export default defineRule({
  id: "create-index-non-concurrent",
  category: "lock",
  defaultSeverity: "error",
  description: "CREATE INDEX without CONCURRENTLY on an existing table blocks writes for the whole build.",
  help: "Use CREATE INDEX CONCURRENTLY, outside a transaction (safemigrate plan/up do this for you). On a partitioned table: CREATE INDEX ... ON ONLY the parent, CREATE INDEX CONCURRENTLY on each partition, ALTER INDEX ... ATTACH PARTITION each.",
  check(statement) {
    const { effects } = statement;
    if (effects.kind !== "IndexStmt" || !existingTarget(statement)) return [];
    if (effects.partitioned && !effects.transactional) {
      // Postgres: "cannot create index on partitioned table ... concurrently".
      return [
        {
          message: `${effects.action} CONCURRENTLY on partitioned table ${effects.target} is rejected by Postgres, which cannot build an index concurrently on a partitioned table${partitionRouteNote(statement, PARTITION_ROUTE)}`,
        },
      ];
    }
    // ON ONLY a partitioned table builds nothing (an INVALID index on the parent alone).
    if (!effects.transactional || !effects.buildsIndex) return [];
    const partitioned = effects.partitioned
      ? ", and Postgres cannot build it CONCURRENTLY on a partitioned table"
      : "";
    return [
      {
        message: `${effects.action} on existing table ${effects.target} takes a SHARE lock${partitionsPhrase(statement)} that blocks writes until the index is built${partitioned}${partitionRouteNote(statement, PARTITION_ROUTE)}`,
      },
    ];
  },
});
