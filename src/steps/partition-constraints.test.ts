import { describe, expect, it } from "vitest";
import { partitionSteps, shape } from "../../test/support/partition-steps.js";

const FK = "ALTER TABLE ev ADD CONSTRAINT ev_r_fk FOREIGN KEY (r) REFERENCES ref (id) ON DELETE CASCADE;";

describe("foreign key route on a partitioned table", () => {
  it("before Postgres 18: NOT VALID and VALIDATE on each partition, then the parent's key", () => {
    const list = partitionSteps(FK, { pgVersion: 17 });
    expect(shape(list)).toEqual([
      {
        kind: "sql",
        statements: [
          "ALTER TABLE ev1 ADD CONSTRAINT ev_r_fk FOREIGN KEY (r) REFERENCES ref (id) ON DELETE CASCADE NOT VALID",
          "ALTER TABLE ev2 ADD CONSTRAINT ev_r_fk FOREIGN KEY (r) REFERENCES ref (id) ON DELETE CASCADE NOT VALID",
        ],
      },
      { kind: "sql", statements: ["ALTER TABLE ev1 VALIDATE CONSTRAINT ev_r_fk"] },
      { kind: "sql", statements: ["ALTER TABLE ev2 VALIDATE CONSTRAINT ev_r_fk"] },
      {
        kind: "sql",
        statements: [
          "ALTER TABLE ev ADD CONSTRAINT ev_r_fk FOREIGN KEY (r) REFERENCES ref (id) ON DELETE CASCADE",
        ],
      },
    ]);
    // The parent's key attaches the validated ones: no scan, a brief ACCESS EXCLUSIVE on ref.
    const last = list.at(-1);
    expect(last?.scan).toBe(false);
    expect(last?.locks).toContainEqual(
      expect.objectContaining({ relation: "ref", mode: "AccessExclusiveLock" }),
    );
    expect(last?.locks).toContainEqual(
      expect.objectContaining({ relation: "ev2", mode: "ShareRowExclusiveLock" }),
    );
    expect(list[1]?.locks.map((l) => [l.relation, l.mode])).toEqual([
      ["ref", "RowShareLock"],
      ["ev1", "ShareUpdateExclusiveLock"],
    ]);
  });

  it("names an unnamed key as Postgres would, on every partition", () => {
    const list = partitionSteps("ALTER TABLE ev ADD FOREIGN KEY (r) REFERENCES ref;", { pgVersion: 14 });
    expect(list.at(-1)?.statements).toEqual([
      "ALTER TABLE ev ADD CONSTRAINT ev_r_fkey FOREIGN KEY (r) REFERENCES ref",
    ]);
  });

  it("on Postgres 18: NOT VALID and VALIDATE on the parent", () => {
    expect(partitionSteps(FK, { pgVersion: 18 }).flatMap((s) => s.statements)).toEqual([
      "ALTER TABLE ev ADD CONSTRAINT ev_r_fk FOREIGN KEY (r) REFERENCES ref (id) ON DELETE CASCADE NOT VALID",
      "ALTER TABLE ev VALIDATE CONSTRAINT ev_r_fk",
    ]);
  });

  it("leaves an inline REFERENCES with a default as written before 18", () => {
    const sql = "ALTER TABLE ev ADD COLUMN s int DEFAULT 1 REFERENCES ref;";
    expect(shape(partitionSteps(sql, { pgVersion: 17 }))).toEqual([
      { kind: "sql", statements: [sql.slice(0, -1)] },
    ]);
  });
});

describe("unique and primary key route on a partitioned table", () => {
  it("adds the constraint ONLY to the parent, builds each partition's index concurrently, and attaches it", () => {
    const list = partitionSteps("ALTER TABLE ev ADD PRIMARY KEY (id, k);");
    expect(list.flatMap((s) => s.statements)).toEqual([
      "ALTER TABLE ONLY ev ADD CONSTRAINT ev_pkey PRIMARY KEY (id, k)",
      "CREATE UNIQUE INDEX CONCURRENTLY ev1_pkey ON ev1 (id, k)",
      "ALTER TABLE ev1 ADD PRIMARY KEY USING INDEX ev1_pkey",
      "ALTER INDEX ev_pkey ATTACH PARTITION ev1_pkey",
      "CREATE UNIQUE INDEX CONCURRENTLY ev2_pkey ON ev2 (id, k)",
      "ALTER TABLE ev2 ADD PRIMARY KEY USING INDEX ev2_pkey",
      "ALTER INDEX ev_pkey ATTACH PARTITION ev2_pkey",
    ]);
    expect(list[0]?.scan).toBe(false);
  });

  it("goes down into sub-partitions, attaching each level's index to the one above", () => {
    const base = `CREATE TABLE sub (id int NOT NULL, k int NOT NULL) PARTITION BY LIST (k);
CREATE TABLE sub1 PARTITION OF sub FOR VALUES IN (1, 2) PARTITION BY LIST (id);
CREATE TABLE sub1a PARTITION OF sub1 FOR VALUES IN (1);
CREATE TABLE sub2 PARTITION OF sub DEFAULT;`;
    const list = partitionSteps("ALTER TABLE sub ADD PRIMARY KEY (id, k);", { base });
    expect(list.flatMap((s) => s.statements)).toEqual([
      "ALTER TABLE ONLY sub ADD CONSTRAINT sub_pkey PRIMARY KEY (id, k)",
      "ALTER TABLE ONLY sub1 ADD CONSTRAINT sub1_pkey PRIMARY KEY (id, k)",
      "CREATE UNIQUE INDEX CONCURRENTLY sub1a_pkey ON sub1a (id, k)",
      "ALTER TABLE sub1a ADD PRIMARY KEY USING INDEX sub1a_pkey",
      "ALTER INDEX sub1_pkey ATTACH PARTITION sub1a_pkey",
      "ALTER INDEX sub_pkey ATTACH PARTITION sub1_pkey",
      "CREATE UNIQUE INDEX CONCURRENTLY sub2_pkey ON sub2 (id, k)",
      "ALTER TABLE sub2 ADD PRIMARY KEY USING INDEX sub2_pkey",
      "ALTER INDEX sub_pkey ATTACH PARTITION sub2_pkey",
    ]);
  });

  it("keeps a unique constraint's name on the parent", () => {
    const list = partitionSteps("ALTER TABLE ev ADD CONSTRAINT ev_uniq UNIQUE (r, k);");
    expect(list.flatMap((s) => s.statements)).toContain("ALTER INDEX ev_uniq ATTACH PARTITION ev1_r_k_key");
  });

  it("has no route for a primary key over a nullable column or without the partition key", () => {
    expect(partitionSteps("ALTER TABLE ev ADD PRIMARY KEY (r, k);").flatMap((s) => s.statements)).toEqual([
      "ALTER TABLE ev ADD PRIMARY KEY (r, k)",
    ]);
    expect(partitionSteps("ALTER TABLE ev ADD UNIQUE (id);").flatMap((s) => s.statements)).toEqual([
      "ALTER TABLE ev ADD UNIQUE (id)",
    ]);
  });
});

describe("CHECK and SET NOT NULL on a partitioned table", () => {
  it("keep the parent routes, which recurse without a scan under ACCESS EXCLUSIVE", () => {
    const base =
      "CREATE TABLE ev (id int, k int NOT NULL, note text) PARTITION BY RANGE (k);\nCREATE TABLE ev1 PARTITION OF ev FOR VALUES FROM (0) TO (100);";
    const list = partitionSteps("ALTER TABLE ev ALTER COLUMN note SET NOT NULL;", { base });
    expect(list.flatMap((s) => s.statements)).toEqual([
      "ALTER TABLE ev ADD CONSTRAINT ev_note_sm_not_null CHECK (note IS NOT NULL) NOT VALID",
      "ALTER TABLE ev VALIDATE CONSTRAINT ev_note_sm_not_null",
      "ALTER TABLE ev ALTER COLUMN note SET NOT NULL",
      "ALTER TABLE ev DROP CONSTRAINT ev_note_sm_not_null RESTRICT",
    ]);
    expect(list.map((s) => s.scan)).toEqual([false, true, false]);
    expect(list[1]?.locks.map((l) => [l.relation, l.mode])).toEqual([
      ["ev", "ShareUpdateExclusiveLock"],
      ["ev1", "ShareUpdateExclusiveLock"],
    ]);
  });
});
