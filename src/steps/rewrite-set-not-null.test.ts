import { describe, expect, it } from "vitest";
import { steps } from "../../test/support/steps.js";

describe("SET NOT NULL route", () => {
  it("shares the NOT NULL route of SET NOT NULL and a PRIMARY KEY on the same column", () => {
    const list = steps("ALTER TABLE t ALTER COLUMN id SET NOT NULL, ADD PRIMARY KEY (id);");
    expect(list[0]?.statements).toEqual([
      "ALTER TABLE t ADD CONSTRAINT t_id_sm_not_null CHECK (id IS NOT NULL) NOT VALID",
    ]);
  });

  it("sets NOT NULL through a validated CHECK and drops the helper", () => {
    const list = steps("ALTER TABLE t ALTER COLUMN a SET NOT NULL;");
    expect(list.map((s) => s.statements)).toEqual([
      ["ALTER TABLE t ADD CONSTRAINT t_a_sm_not_null CHECK (a IS NOT NULL) NOT VALID"],
      ["ALTER TABLE t VALIDATE CONSTRAINT t_a_sm_not_null"],
      // Two statements: in one ALTER TABLE the DROP would come first and SET NOT NULL scan the table.
      ["ALTER TABLE t ALTER COLUMN a SET NOT NULL", "ALTER TABLE t DROP CONSTRAINT t_a_sm_not_null RESTRICT"],
    ]);
    // The model sees that SET NOT NULL no longer scans once the CHECK is validated.
    expect(list[2]?.scan).toBe(false);
  });

  it("runs SET NOT NULL as written after a valid CHECK (col IS NOT NULL) added in the same transaction", () => {
    const list = steps(
      "ALTER TABLE t ADD CONSTRAINT t_a_nn CHECK (a IS NOT NULL);\nALTER TABLE t ALTER COLUMN a SET NOT NULL;",
    );
    expect(list.at(-1)).toMatchObject({
      statements: ["ALTER TABLE t ALTER COLUMN a SET NOT NULL"],
      rewrittenFrom: null,
    });
  });
});
