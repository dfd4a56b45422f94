/** Steps of a migration on partitioned tables, for the unit tests of the partition routes. */
import { Analyzer } from "../../src/analysis/analyze.js";
import type { CatalogPartitionedTable } from "../../src/analysis/model.js";
import { readMigrationFile } from "../../src/migrations/read-file.js";
import { initParser } from "../../src/sql/parse.js";
import type { Step } from "../../src/steps/step.js";
import { buildSteps } from "../../src/steps/steps.js";

await initParser();

export const PARTITIONED = `CREATE TABLE ev (id int NOT NULL, k int NOT NULL, r int) PARTITION BY RANGE (k);
CREATE TABLE ev1 PARTITION OF ev FOR VALUES FROM (0) TO (100);
CREATE TABLE ev2 PARTITION OF ev FOR VALUES FROM (100) TO (200);
CREATE TABLE ref (id int PRIMARY KEY);`;

/** Steps of `sql` as migration 002, after `base` as 001 (or with the catalog only). */
export function partitionSteps(
  sql: string,
  options: { base?: string; pgVersion?: number; catalog?: CatalogPartitionedTable[] } = {},
): Step[] {
  const pgVersion = options.pgVersion ?? 18;
  const analyzer = new Analyzer(pgVersion, options.catalog ?? []);
  analyzer.analyze(readMigrationFile("001_base.sql", options.base ?? PARTITIONED));
  const file = analyzer.analyze(readMigrationFile("002_x.sql", sql));
  return buildSteps(file, { rewrite: true, phase: "expand", pgVersion });
}

export const shape = (list: Step[]) => list.map((s) => ({ kind: s.kind, statements: s.statements }));
