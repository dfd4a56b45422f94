import { describe, expect, it } from "vitest";
import { steps } from "../../test/support/steps.js";

describe("REINDEX rewrite", () => {
  it("reads REINDEX's option list as Postgres does: CONCURRENTLY false is rewritten, CONCURRENTLY on kept", () => {
    const list = steps(
      "REINDEX (CONCURRENTLY false, VERBOSE) INDEX t_b;\nREINDEX (CONCURRENTLY on) INDEX t_b;",
    );
    expect(list.map((s) => [s.statements[0], s.rewrittenFrom !== null])).toEqual([
      ["REINDEX (VERBOSE, CONCURRENTLY) INDEX t_b", true],
      ["REINDEX (CONCURRENTLY on) INDEX t_b", false],
    ]);
  });
});
