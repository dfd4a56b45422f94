/**
 * Plan on partitioned tables, traced on the embedded shadow: the routes through the partitions run there
 * step by step, and the model's locks on every partition agree with the trace.
 */
import { describe, expect, it } from "vitest";
import { plan } from "../../src/plan/plan.js";
import { createTestDatabase, testMajors } from "../support/postgres.js";
import { entry, migrationDir, planFiles, useSharedShadow } from "./helpers.js";

const shadow = useSharedShadow();

const EVENTS = `CREATE TABLE ref (id int PRIMARY KEY);
CREATE TABLE ev (id int NOT NULL, k int NOT NULL, r int) PARTITION BY RANGE (k);
CREATE TABLE ev1 PARTITION OF ev FOR VALUES FROM (0) TO (100);
CREATE TABLE ev2 PARTITION OF ev FOR VALUES FROM (100) TO (200);`;

describe("plan on a partitioned table", () => {
  it("traces the index route, every step, with the model and the trace agreeing", async () => {
    const result = await planFiles(shadow(), [EVENTS, "CREATE INDEX ON ev (k);"]);
    const steps = entry(result, 2).steps;
    expect(steps.map((s) => [s.kind, s.sql])).toEqual([
      ["sql", "CREATE INDEX ev_k_idx ON ONLY ev (k);"],
      ["create-index-concurrently", "CREATE INDEX CONCURRENTLY ev1_k_idx ON ev1 (k);"],
      ["sql", "ALTER INDEX ev_k_idx ATTACH PARTITION ev1_k_idx;"],
      ["create-index-concurrently", "CREATE INDEX CONCURRENTLY ev2_k_idx ON ev2 (k);"],
      ["sql", "ALTER INDEX ev_k_idx ATTACH PARTITION ev2_k_idx;"],
    ]);
    expect(steps.every((s) => s.traced)).toBe(true);
    expect(steps.flatMap((s) => s.disagreements)).toEqual([]);
    // Plan shows what safemigrate runs: the route resolves the finding, which says what it runs as.
    const findings = entry(result, 2).findings;
    expect(findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(findings.find((f) => f.rule === "create-index-non-concurrent")).toMatchObject({
      severity: "info",
      message: expect.stringMatching(
        /^runs as CREATE INDEX, in a transaction of its own; then CREATE INDEX CONCURRENTLY, outside a transaction; then ALTER INDEX ATTACH PARTITION.* \(runner: safemigrate\); as written: /,
      ),
    });
  });

  it("plans the foreign key per partition for --pg-version 17, and on the parent for 18", async () => {
    const fk = "ALTER TABLE ev ADD CONSTRAINT ev_r_fkey FOREIGN KEY (r) REFERENCES ref;";
    const old = entry(await planFiles(shadow(), [EVENTS, fk], { pgVersion: 17 }), 2).steps;
    expect(old.map((s) => s.sql)).toEqual([
      "ALTER TABLE ev1 ADD CONSTRAINT ev_r_fkey FOREIGN KEY (r) REFERENCES ref NOT VALID;\nALTER TABLE ev2 ADD CONSTRAINT ev_r_fkey FOREIGN KEY (r) REFERENCES ref NOT VALID;",
      "ALTER TABLE ev1 VALIDATE CONSTRAINT ev_r_fkey;",
      "ALTER TABLE ev2 VALIDATE CONSTRAINT ev_r_fkey;",
      "ALTER TABLE ev ADD CONSTRAINT ev_r_fkey FOREIGN KEY (r) REFERENCES ref;",
    ]);
    expect(old.every((s) => s.traced)).toBe(true);
    expect(old.at(-1)?.locks).toContainEqual(
      expect.objectContaining({ relation: "ev1", mode: "ShareRowExclusiveLock" }),
    );
    const current = entry(await planFiles(shadow(), [EVENTS, fk], { pgVersion: 18 }), 2).steps;
    expect(current.map((s) => s.sql)).toEqual([
      "ALTER TABLE ev ADD CONSTRAINT ev_r_fkey FOREIGN KEY (r) REFERENCES ref NOT VALID;",
      "ALTER TABLE ev VALIDATE CONSTRAINT ev_r_fkey;",
    ]);
  });

  it("reports a NOT VALID foreign key that the target Postgres rejects, once, on PGlite and on that server", async () => {
    const fk = "ALTER TABLE ev ADD CONSTRAINT ev_r_fkey FOREIGN KEY (r) REFERENCES ref NOT VALID;";
    const oldest = testMajors()[0] as string;
    expect(Number(oldest), "the tests start a Postgres older than 18").toBeLessThan(18);
    const rejections = (result: Awaited<ReturnType<typeof plan>>) =>
      entry(result, 2).findings.filter((f) => f.rule === "fails-on-postgres");
    // PGlite (Postgres 18) runs it; the rule knows the target version rejects it.
    const embedded = await planFiles(shadow(), [EVENTS, fk], { pgVersion: Number(oldest) });
    expect(embedded.shadow?.engine).toBe("pglite");
    expect(rejections(embedded)).toMatchObject([
      { line: 1, message: expect.stringContaining("rejects a NOT VALID") },
    ]);
    // On that server the statement fails too: one finding, not two.
    const server = await createTestDatabase(oldest);
    const dir = await migrationDir({ "001_m1.sql": EVENTS, "002_m2.sql": fk });
    try {
      const traced = await plan({ path: dir.path, shadowUrl: server.url, pgVersion: Number(oldest) });
      expect(entry(traced, 2).steps[0]?.reason).toContain(
        "cannot add NOT VALID foreign key on partitioned table",
      );
      expect(rejections(traced)).toHaveLength(1);
    } finally {
      await Promise.all([dir.remove(), server.drop()]);
    }
  });
});
