import { describe, expect, it } from "vitest";
import { steps } from "../../test/support/steps.js";

describe("DROP INDEX rewrite", () => {
  it("drops and rebuilds indexes concurrently, one index per statement", () => {
    const list = steps("DROP INDEX IF EXISTS t_b, other_idx;\nREINDEX INDEX t_b;");
    expect(list.map((s) => [s.statements[0], s.guard])).toEqual([
      ["DROP INDEX CONCURRENTLY IF EXISTS t_b", "drop-index"],
      ["DROP INDEX CONCURRENTLY IF EXISTS other_idx", "drop-index"],
      ["REINDEX (CONCURRENTLY) INDEX t_b", "reindex-index"],
    ]);
  });

  it("keeps a DROP INDEX ... CASCADE as written (the concurrent form has no CASCADE)", () => {
    expect(steps("DROP INDEX t_b CASCADE;")[0]?.statements).toEqual(["DROP INDEX t_b CASCADE"]);
  });
});
