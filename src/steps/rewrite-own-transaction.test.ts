import { describe, expect, it } from "vitest";
import { steps } from "../../test/support/steps.js";

describe("statements that need a transaction of their own", () => {
  it("commits an added enum value before the statements that use it", () => {
    const list = steps("ALTER TYPE mood ADD VALUE 'meh';\nINSERT INTO t VALUES (1);");
    expect(list).toHaveLength(2);
    expect(list[0]?.resolves).toContain("enum-value-in-transaction");
  });
});
