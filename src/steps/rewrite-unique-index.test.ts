import { describe, expect, it } from "vitest";
import { steps } from "../../test/support/steps.js";

describe("unique constraint through an index", () => {
  it("builds a unique index whose name needs quotes under a plain name the constraint adopts", () => {
    const list = steps('ALTER TABLE t ADD CONSTRAINT "T key" UNIQUE (a);');
    expect(list.map((s) => s.statements[0])).toEqual([
      "CREATE UNIQUE INDEX CONCURRENTLY sm_unique_c1856373b4c46481 ON t (a)",
      'ALTER TABLE t ADD CONSTRAINT "T key" UNIQUE USING INDEX sm_unique_c1856373b4c46481',
    ]);
  });

  it("builds the index of a primary key concurrently and attaches it", () => {
    const list = steps("ALTER TABLE t ADD PRIMARY KEY (id);");
    expect(list.map((s) => [s.kind, s.statements[0]])).toEqual([
      ["sql", "ALTER TABLE t ADD CONSTRAINT t_id_sm_not_null CHECK (id IS NOT NULL) NOT VALID"],
      ["sql", "ALTER TABLE t VALIDATE CONSTRAINT t_id_sm_not_null"],
      ["sql", "ALTER TABLE t ALTER COLUMN id SET NOT NULL"],
      ["create-index-concurrently", "CREATE UNIQUE INDEX CONCURRENTLY t_pkey ON t (id)"],
      ["sql", "ALTER TABLE t ADD PRIMARY KEY USING INDEX t_pkey"],
    ]);
  });
});
