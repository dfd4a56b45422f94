import { describe, expect, it } from "vitest";
import { steps } from "../../test/support/steps.js";

describe("inline foreign key rewrite", () => {
  it("keeps an inline REFERENCES that Postgres does not check (no default), or that is NOT ENFORCED", () => {
    for (const sql of [
      "ALTER TABLE t ADD COLUMN c int REFERENCES u (id) DEFERRABLE",
      "ALTER TABLE t ADD COLUMN c int DEFAULT 1 REFERENCES u (id) NOT ENFORCED",
    ]) {
      expect(steps(`${sql};`).map((s) => s.statements)).toEqual([[sql]]);
    }
  });

  it("splits every inline REFERENCES of a column, each with its own attributes", () => {
    const list = steps(
      "ALTER TABLE t ADD COLUMN c int DEFAULT 1 CONSTRAINT f1 REFERENCES u (id) DEFERRABLE UNIQUE REFERENCES u (id) ON DELETE CASCADE NOT DEFERRABLE;",
    );
    expect(list[0]?.statements).toEqual([
      "ALTER TABLE t ADD COLUMN c int DEFAULT 1 UNIQUE, ADD CONSTRAINT f1 FOREIGN KEY (c) REFERENCES u (id) NOT VALID DEFERRABLE, ADD CONSTRAINT t_c_fkey FOREIGN KEY (c) REFERENCES u (id) ON DELETE CASCADE NOT VALID",
    ]);
    // Two unnamed ones would need the names Postgres numbers (t_c_fkey, t_c_fkey1): left as written.
    const unnamed = "ALTER TABLE t ADD COLUMN d int DEFAULT 1 REFERENCES u (id) REFERENCES u (id)";
    expect(steps(`${unnamed};`)[0]?.statements).toEqual([unnamed]);
  });
});
