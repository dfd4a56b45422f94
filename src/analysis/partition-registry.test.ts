import { describe, expect, it } from "vitest";
import { migrationFromSql } from "../../test/support/lint.js";
import { Analyzer } from "./analyze.js";
import type { CatalogPartitionedTable } from "./model.js";
import { descendants, leaves } from "./partition-registry.js";

/** The schema context after the migrations, each given as SQL text. */
function contextAfter(migrations: string[], catalog: CatalogPartitionedTable[] = []) {
  const analyzer = new Analyzer(17, catalog);
  for (const [i, sql] of migrations.entries()) analyzer.analyze(migrationFromSql(sql, i + 1));
  return analyzer.context;
}

const EVENTS = `CREATE TABLE ev (id int, k int NOT NULL) PARTITION BY RANGE (k);
CREATE TABLE ev1 PARTITION OF ev FOR VALUES FROM (0) TO (100);
CREATE TABLE ev2 (id int, k int NOT NULL);
ALTER TABLE ev ATTACH PARTITION ev2 FOR VALUES FROM (100) TO (200);`;

describe("partitions in the schema context", () => {
  it("follows PARTITION BY, PARTITION OF and ATTACH, with the partition key", () => {
    const tree = contextAfter([EVENTS]).partitionTree("ev");
    expect(tree).toMatchObject({ table: "ev", key: ["k"], complete: true });
    expect(tree && leaves(tree)).toEqual(["ev1", "ev2"]);
  });

  it("follows DETACH (also CONCURRENTLY), DROP of a partition and renames", () => {
    const ctx = contextAfter([
      EVENTS,
      "CREATE TABLE ev3 PARTITION OF ev FOR VALUES FROM (200) TO (300);\nALTER TABLE ev DETACH PARTITION ev1;",
      "ALTER TABLE ev DETACH PARTITION ev2 CONCURRENTLY;",
      "DROP TABLE ev3;\nCREATE TABLE ev4 PARTITION OF ev FOR VALUES FROM (0) TO (50);\nALTER TABLE ev4 RENAME TO ev_low;",
      "ALTER TABLE ev RENAME TO events;",
    ]);
    expect(ctx.partitionTree("ev")).toBeNull();
    const tree = ctx.partitionTree("events");
    expect(tree && leaves(tree)).toEqual(["ev_low"]);
    expect(ctx.parentOf("ev_low")).toBe("events");
  });

  it("knows sub-partitions, and drops them with their parent", () => {
    const sql = `${EVENTS}
CREATE TABLE ev5 PARTITION OF ev FOR VALUES FROM (300) TO (400) PARTITION BY LIST (id);
CREATE TABLE ev5a PARTITION OF ev5 FOR VALUES IN (1);`;
    const ctx = contextAfter([sql]);
    const tree = ctx.partitionTree("ev");
    expect(tree && descendants(tree)).toEqual(["ev1", "ev2", "ev5", "ev5a"]);
    expect(tree && leaves(tree)).toEqual(["ev1", "ev2", "ev5a"]);
    expect(contextAfter([sql, "DROP TABLE ev;"]).partitionTree("ev5")).toBeNull();
  });

  it("takes a parent it only sees through one partition as not completely known", () => {
    const tree = contextAfter(["CREATE TABLE old1 PARTITION OF old FOR VALUES IN (1);"]).partitionTree("old");
    expect(tree).toMatchObject({ key: null, complete: false });
  });

  it("starts from the catalog and adds what the set does", () => {
    const catalog = [{ table: "old", key: ["k"], partitions: ["old1"], notNull: ["k"] }];
    const ctx = contextAfter(["CREATE TABLE old2 PARTITION OF old FOR VALUES IN (2);"], catalog);
    const tree = ctx.partitionTree("old");
    expect(tree).toMatchObject({ key: ["k"], complete: true });
    expect(tree && leaves(tree)).toEqual(["old1", "old2"]);
    expect(ctx.isNotNull("old", "k")).toBe(true);
    expect(ctx.isNotNull("old", "id")).toBe(false);
  });

  it("does not take ALTER INDEX ... ATTACH PARTITION for a table's", () => {
    const ctx = contextAfter([
      EVENTS,
      "CREATE INDEX i ON ONLY ev (k);\nCREATE INDEX i1 ON ev1 (k);\nALTER INDEX i ATTACH PARTITION i1;",
    ]);
    expect(ctx.partitionTree("i")).toBeNull();
  });
});
