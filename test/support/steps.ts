/** Steps of a migration on plain tables, for the unit tests of the step builder and its rewrites. */
import { Analyzer } from "../../src/analysis/analyze.js";
import { readMigrationFile } from "../../src/migrations/read-file.js";
import { initParser } from "../../src/sql/parse.js";
import type { Step } from "../../src/steps/step.js";
import { buildSteps } from "../../src/steps/steps.js";

await initParser();

const BASE =
  "CREATE TABLE t (id int, a int, b text); CREATE TABLE u (id int PRIMARY KEY); CREATE INDEX t_b ON t (b);";

/** Steps of `sql` as migration 002 on Postgres 18, after a migration that created t, u and index t_b. */
export function steps(
  sql: string,
  options: { rewrite?: boolean; phase?: "expand" | "contract"; path?: string } = {},
): Step[] {
  const analyzer = new Analyzer(18);
  analyzer.analyze(readMigrationFile("001_base.sql", BASE));
  const file = analyzer.analyze(readMigrationFile(options.path ?? "002_x.sql", sql));
  return buildSteps(file, {
    rewrite: options.rewrite ?? true,
    phase: options.phase ?? "expand",
    pgVersion: 18,
  });
}

export const shape = (list: Step[]) =>
  list.map((s) => ({ kind: s.kind, transactional: s.transactional, statements: s.statements }));
