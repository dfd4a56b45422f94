import { describe, expect, it } from "vitest";
import { steps } from "../../test/support/steps.js";

describe("CREATE INDEX rewrite", () => {
  it("rewrites a CREATE INDEX on an existing table into a named concurrent build", () => {
    const [step] = steps("CREATE INDEX ON t (lower(b), a);");
    expect(step).toMatchObject({
      kind: "create-index-concurrently",
      transactional: false,
      statements: ["CREATE INDEX CONCURRENTLY t_lower_a_idx ON t ((lower(b)), a)"],
      index: { name: "t_lower_a_idx", schema: null },
      rewrittenFrom: "CREATE INDEX ON t (lower(b), a)",
      resolves: ["create-index-non-concurrent"],
      blocks: "nothing",
    });
  });

  it("names an unnamed index after its INCLUDE columns too, as Postgres does", () => {
    expect(steps("CREATE INDEX ON t (a) INCLUDE (b);")[0]?.statements).toEqual([
      "CREATE INDEX CONCURRENTLY t_a_b_idx ON t (a) INCLUDE (b)",
    ]);
  });
});
