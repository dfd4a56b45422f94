import { describe, expect, it } from "vitest";
import { partitionSteps, shape } from "../../test/support/partition-steps.js";

describe("index route on a partitioned table", () => {
  it("builds ON ONLY the parent, concurrently on each partition, and attaches each", () => {
    expect(shape(partitionSteps("CREATE INDEX ON ev (k);"))).toEqual([
      { kind: "sql", statements: ["CREATE INDEX ev_k_idx ON ONLY ev (k)"] },
      { kind: "create-index-concurrently", statements: ["CREATE INDEX CONCURRENTLY ev1_k_idx ON ev1 (k)"] },
      { kind: "sql", statements: ["ALTER INDEX ev_k_idx ATTACH PARTITION ev1_k_idx"] },
      { kind: "create-index-concurrently", statements: ["CREATE INDEX CONCURRENTLY ev2_k_idx ON ev2 (k)"] },
      { kind: "sql", statements: ["ALTER INDEX ev_k_idx ATTACH PARTITION ev2_k_idx"] },
    ]);
  });

  it("rewrites CREATE INDEX CONCURRENTLY on the parent, which Postgres rejects, the same way", () => {
    const list = partitionSteps("CREATE UNIQUE INDEX CONCURRENTLY ev_key ON ev (id, k) WHERE r > 0;");
    expect(list.map((s) => s.statements[0])).toEqual([
      "CREATE UNIQUE INDEX ev_key ON ONLY ev (id, k) WHERE r > 0",
      "CREATE UNIQUE INDEX CONCURRENTLY ev1_id_k_idx ON ev1 (id, k) WHERE r > 0",
      "ALTER INDEX ev_key ATTACH PARTITION ev1_id_k_idx",
      "CREATE UNIQUE INDEX CONCURRENTLY ev2_id_k_idx ON ev2 (id, k) WHERE r > 0",
      "ALTER INDEX ev_key ATTACH PARTITION ev2_id_k_idx",
    ]);
    expect(list[0]?.resolves).toContain("create-index-non-concurrent");
  });

  it("goes down into sub-partitions, quoting every identifier and clipping names to 63 bytes", () => {
    const long = "p".repeat(60);
    const base = `CREATE SCHEMA "My S";
CREATE TABLE "My S"."Ev" ("K" int NOT NULL, id int) PARTITION BY LIST ("K");
CREATE TABLE "My S"."${long}" PARTITION OF "My S"."Ev" FOR VALUES IN (1) PARTITION BY LIST (id);
CREATE TABLE "My S".leaf PARTITION OF "My S"."${long}" FOR VALUES IN (1);`;
    const list = partitionSteps(`CREATE INDEX "select" ON "My S"."Ev" ("K");`, { base });
    const clipped = `${"p".repeat(57)}_K_idx`;
    expect(list.flatMap((s) => s.statements)).toEqual([
      `CREATE INDEX "select" ON ONLY "My S"."Ev" ("K")`,
      `CREATE INDEX "${clipped}" ON ONLY "My S".${long} ("K")`,
      `CREATE INDEX CONCURRENTLY "leaf_K_idx" ON "My S".leaf ("K")`,
      `ALTER INDEX "My S"."${clipped}" ATTACH PARTITION "My S"."leaf_K_idx"`,
      // A keyword after the dot needs no quotes (Postgres reads any label there).
      `ALTER INDEX "My S".select ATTACH PARTITION "My S"."${clipped}"`,
    ]);
    expect(Buffer.byteLength(clipped)).toBe(63);
  });

  it("knows the partitions from the catalog for a table from before the set", () => {
    const catalog = [{ table: "old", key: ["k"], partitions: ["old_a", "old_b"], notNull: ["k"] }];
    const list = partitionSteps("CREATE INDEX old_k ON old (k);", { base: "SELECT 1;", catalog });
    expect(list.map((s) => s.statements[0])).toContain("CREATE INDEX CONCURRENTLY old_b_k_idx ON old_b (k)");
  });

  it("leaves the statement as written when the partitions are not all known", () => {
    const base = "CREATE TABLE old_c PARTITION OF old FOR VALUES FROM (0) TO (1);";
    expect(shape(partitionSteps("CREATE INDEX old_k ON old (k);", { base }))).toEqual([
      { kind: "sql", statements: ["CREATE INDEX old_k ON old (k)"] },
    ]);
  });

  it("leaves a unique index without the partition key as written (Postgres rejects it either way)", () => {
    expect(shape(partitionSteps("CREATE UNIQUE INDEX ev_id ON ev (id);"))).toEqual([
      { kind: "sql", statements: ["CREATE UNIQUE INDEX ev_id ON ev (id)"] },
    ]);
  });

  it("needs no route for ON ONLY, which builds nothing", () => {
    expect(shape(partitionSteps("CREATE INDEX ev_k ON ONLY ev (k);"))).toEqual([
      { kind: "sql", statements: ["CREATE INDEX ev_k ON ONLY ev (k)"] },
    ]);
  });

  it("locks the parent and each partition as the model says for each piece", () => {
    const [only, build, attach] = partitionSteps("CREATE INDEX ON ev (k);");
    expect(only?.locks.map((l) => [l.relation, l.mode])).toEqual([["ev", "ShareLock"]]);
    expect(build?.locks.map((l) => [l.relation, l.mode])).toEqual([["ev1", "ShareUpdateExclusiveLock"]]);
    expect(attach?.scan).toBe(false);
    expect(attach?.blocks).toBe("nothing");
  });
});
