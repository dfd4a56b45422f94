import { describe, expect, it } from "vitest";
import { shape, steps } from "../../test/support/steps.js";

describe("NOT VALID rewrite", () => {
  it("turns constraints NOT VALID and validates them in a transaction of their own", () => {
    const list = steps(
      "ALTER TABLE t ADD COLUMN c int DEFAULT 1 REFERENCES u (id) DEFERRABLE INITIALLY DEFERRED, ADD CHECK (a > 0);\nINSERT INTO t VALUES (1);",
    );
    expect(shape(list)).toEqual([
      {
        kind: "sql",
        transactional: true,
        statements: [
          // The attribute clauses after an inline REFERENCES belong to it, and move with it.
          "ALTER TABLE t ADD COLUMN c int DEFAULT 1, ADD CONSTRAINT t_c_fkey FOREIGN KEY (c) REFERENCES u (id) NOT VALID DEFERRABLE INITIALLY DEFERRED, ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID",
        ],
      },
      {
        kind: "sql",
        transactional: true,
        statements: ["ALTER TABLE t VALIDATE CONSTRAINT t_c_fkey, VALIDATE CONSTRAINT t_a_check"],
      },
      { kind: "sql", transactional: true, statements: ["INSERT INTO t VALUES (1)"] },
    ]);
    expect(list[1]?.blocks).toBe("nothing");
    expect(list[0]?.resolves).toEqual(["constraint-missing-not-valid"]);
  });

  it("records per statement which findings its pieces resolve", () => {
    const list = steps(
      "ALTER TABLE t ADD COLUMN c text COMPRESSION pglz, ADD CHECK (a > 0);\nALTER TABLE t ADD CHECK (id > 1);",
    );
    // The first rewrite does not print back (the printer drops COMPRESSION): it runs as written, in the
    // same transaction as the NOT VALID half of the second.
    expect(list[0]?.statements).toEqual([
      "ALTER TABLE t ADD COLUMN c text COMPRESSION pglz, ADD CHECK (a > 0)",
      "ALTER TABLE t ADD CONSTRAINT t_id_check CHECK (id > 1) NOT VALID",
    ]);
    expect(list[0]?.resolves).toEqual(["constraint-missing-not-valid"]);
    expect(list[0]?.origins?.map((o) => o.resolves)).toEqual([[], ["constraint-missing-not-valid"]]);
  });
});
