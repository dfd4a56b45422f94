/**
 * The rules that speak of partitioned tables: what Postgres does on the parent and its partitions, and the
 * safe route through the partitions, or why there is none.
 */
import { describe, expect, it } from "vitest";
import { findingsOf } from "../../../test/support/lint.js";

const BASE = `CREATE TABLE ref (id int PRIMARY KEY);
CREATE TABLE ev (id int NOT NULL, k int NOT NULL, r int, note text) PARTITION BY RANGE (k);
CREATE TABLE ev1 PARTITION OF ev FOR VALUES FROM (0) TO (100);
CREATE TABLE ev2 PARTITION OF ev FOR VALUES FROM (100) TO (200);`;
/** A parent from before the set, seen only through one partition: its other partitions are unknown. */
const PARTLY_KNOWN = "CREATE TABLE old1 PARTITION OF old FOR VALUES FROM (0) TO (100);";

const message = (rule: string, sql: string, base = BASE, pgVersion = 14) => {
  const findings = findingsOf(rule, [base, sql], { pgVersion });
  expect(findings).toHaveLength(1);
  return findings[0]?.message ?? "";
};

describe("create-index-non-concurrent on a partitioned table", () => {
  it("names the partitions it locks and the route plan/up take", () => {
    const text = message("create-index-non-concurrent", "CREATE INDEX ON ev (k);");
    expect(text).toContain("SHARE lock and on each of its partitions (ev1, ev2)");
    expect(text).toContain("cannot build it CONCURRENTLY on a partitioned table");
    expect(text).toContain("ON ONLY the parent, CONCURRENTLY on each partition, then ATTACH");
  });

  it("says why there is no safe route when the partitions are not all known", () => {
    const text = message("create-index-non-concurrent", "CREATE INDEX ON old (k);", PARTLY_KNOWN);
    expect(text).toContain("partitions known here (old1)");
    expect(text).toContain("no safe route exists: not every partition of old is known");
    expect(text).toContain("--database-url");
  });

  it("says why a unique index without the partition key has no route", () => {
    const text = message("create-index-non-concurrent", "CREATE UNIQUE INDEX ev_id ON ev (id);");
    expect(text).toContain(
      "no safe route exists: Postgres requires a unique index on partitioned table ev to include its partition key (k missing)",
    );
  });

  it("fires on CREATE INDEX CONCURRENTLY on the parent, which Postgres rejects", () => {
    const text = message("create-index-non-concurrent", "CREATE INDEX CONCURRENTLY ev_k ON ev (k);");
    expect(text).toContain("is rejected by Postgres");
  });

  it("does not fire on ON ONLY the parent, which builds nothing", () => {
    expect(findingsOf("create-index-non-concurrent", [BASE, "CREATE INDEX ev_k ON ONLY ev (k);"])).toEqual(
      [],
    );
  });
});

describe("constraint-missing-not-valid on a partitioned table", () => {
  const FK = "ALTER TABLE ev ADD FOREIGN KEY (r) REFERENCES ref;";

  it("before Postgres 18: says NOT VALID is rejected there and which route plan/up take", () => {
    const text = message("constraint-missing-not-valid", FK, BASE, 17);
    expect(text).toContain("and on each of its partitions (ev1, ev2)");
    expect(text).toContain("Postgres 17 rejects NOT VALID on a partitioned table");
    expect(text).toContain(
      "validate it on each partition, then add it to ev, which attaches them without a scan",
    );
  });

  it("on Postgres 18: the usual NOT VALID route, on the parent", () => {
    expect(message("constraint-missing-not-valid", FK, BASE, 18)).not.toContain("rejects NOT VALID");
  });

  it("says why a multi-command ALTER TABLE has no route", () => {
    const text = message(
      "constraint-missing-not-valid",
      "ALTER TABLE ev ADD COLUMN x int, ADD FOREIGN KEY (r) REFERENCES ref;",
    );
    expect(text).toContain(
      "no safe route exists: the route through the partitions of ev takes an ALTER TABLE with this one sub-command",
    );
  });
});

describe("unique-constraint-without-index on a partitioned table", () => {
  it("names the route", () => {
    const text = message("unique-constraint-without-index", "ALTER TABLE ev ADD PRIMARY KEY (id, k);");
    expect(text).toContain("add it ONLY to the parent, build each partition's unique index CONCURRENTLY");
  });

  it("says a primary key over a nullable column has no route", () => {
    const text = message("unique-constraint-without-index", "ALTER TABLE ev ADD PRIMARY KEY (r, k);");
    expect(text).toContain(
      "no safe route exists: the primary key's columns (r) must be known to be NOT NULL on every partition first",
    );
  });

  it("does not fire on ONLY the parent, which builds no index", () => {
    expect(
      findingsOf("unique-constraint-without-index", [BASE, "ALTER TABLE ONLY ev ADD PRIMARY KEY (id, k);"]),
    ).toEqual([]);
  });
});

describe("set-not-null-full-scan on a partitioned table", () => {
  it("names the partitions it scans", () => {
    const text = message("set-not-null-full-scan", "ALTER TABLE ev ALTER COLUMN note SET NOT NULL;");
    expect(text).toContain("and on each of its partitions (ev1, ev2)");
  });

  it("does not fire after a CHECK validated on the parent, which proves it on every partition", () => {
    const sql = [
      "ALTER TABLE ev ADD CONSTRAINT nn CHECK (note IS NOT NULL) NOT VALID;",
      "ALTER TABLE ev VALIDATE CONSTRAINT nn;",
    ].join("\n");
    expect(
      findingsOf("set-not-null-full-scan", [BASE, sql, "ALTER TABLE ev ALTER COLUMN note SET NOT NULL;"]),
    ).toEqual([]);
  });
});

describe("exclusion-constraint on a partitioned table", () => {
  it("names the partitions and says there is no safe route", () => {
    const sql = "ALTER TABLE ev ADD CONSTRAINT ev_excl EXCLUDE USING btree (id WITH =, k WITH =);";
    const text = message("exclusion-constraint", sql);
    expect(text).toContain(
      "and on each of its partitions (ev1, ev2), and has no concurrent form (nor a route through the partitions: no safe route exists)",
    );
  });
});
