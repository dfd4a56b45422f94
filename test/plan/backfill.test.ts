/**
 * plan of a `-- safemigrate:backfill`: its own step, traced (the UPDATE's lock from pg_locks on the shadow),
 * with the batch size, the lock each batch takes and the estimated row count: unknown without a database,
 * the table's reltuples with one. A SET that Postgres rejects is a fails-on-postgres finding at the directive.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { palette } from "../../src/cli/io.js";
import { planPaint, renderPlanText } from "../../src/cli/reporters/plan-text.js";
import { plan } from "../../src/plan/plan.js";
import { planReport } from "../../src/plan/report.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";
import { entry, migrationDir, planFiles, type SharedShadow, sharedEmbeddedShadow } from "./helpers.js";

const ORDERS = "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL);";
const CENTS = `ALTER TABLE orders ADD COLUMN total_cents bigint;
-- safemigrate:backfill table=orders set="total_cents = (total * 100)::bigint" where="total_cents IS NULL" batch=500 pause=50ms
ALTER TABLE orders ADD CONSTRAINT total_cents_nn CHECK (total_cents IS NOT NULL) NOT VALID;`;

let shadow: SharedShadow;
beforeAll(async () => {
  shadow = await sharedEmbeddedShadow();
});
afterAll(() => shadow?.close());

describe("plan of a backfill", () => {
  it("shows it as its own step with its batches, their lock and an unknown row count", async () => {
    const result = await planFiles(shadow, [ORDERS, CENTS]);
    const steps = planReport(result).migrations[1]?.steps ?? [];
    expect(steps.map((s) => s.kind)).toEqual(["sql", "backfill", "sql"]);
    expect(steps[1]).toMatchObject({
      sql: 'UPDATE "orders" SET total_cents = (total * 100)::bigint WHERE (total_cents IS NULL);',
      transaction: true,
      locks: [{ relation: "orders", mode: "RowExclusiveLock", existing: true }],
      blocks: "nothing",
      rewrite: false,
      traced: true,
      line: 2,
      column: 1,
      backfill: {
        table: "orders",
        key: null,
        batch: 500,
        pause: "50ms",
        set: "total_cents = (total * 100)::bigint",
        where: "total_cents IS NULL",
        estimatedRows: null,
      },
    });
    // Other steps have no backfill field: the shape only grows.
    expect(steps[0]).not.toHaveProperty("backfill");
    const text = renderPlanText(result, planPaint(palette(false), false));
    expect(text).toContain(
      [
        "  2. backfill: a transaction per batch · line 2 · traced",
        '       UPDATE "orders" SET total_cents = (total * 100)::bigint WHERE (total_cents IS NULL);',
        "     locks per batch RowExclusiveLock orders",
        "     blocks nothing",
        "     batches of 500 rows by the primary key, pause 50ms between batches; estimated rows: unknown",
      ].join("\n"),
    );
  });

  it("reports a SET that Postgres rejects at the directive", async () => {
    const result = await planFiles(shadow, [
      ORDERS,
      'SELECT 1;\n-- safemigrate:backfill table=orders set="nope = 1"',
    ]);
    const findings = entry(result, 2).findings.filter((f) => f.rule === "fails-on-postgres");
    expect(findings).toEqual([
      expect.objectContaining({ line: 2, column: 1, message: expect.stringContaining('column "nope"') }),
    ]);
  });

  describe("with a database", () => {
    let db: TestDatabase;
    let dir: Awaited<ReturnType<typeof migrationDir>>;
    beforeAll(async () => {
      [db, dir] = await Promise.all([createTestDatabase(), migrationDir({ "001_cents.sql": CENTS })]);
      await db.sql.unsafe(`${ORDERS}
        INSERT INTO orders SELECT g, g FROM generate_series(1, 4000) g; ANALYZE orders`);
    });
    afterAll(async () => {
      await dir?.remove();
      await db?.drop();
    });

    it("estimates the rows from the live table", async () => {
      const result = await plan({ path: dir.path, databaseUrl: db.url, openShadow: () => shadow.open() });
      const step = result.migrations[0]?.steps[1];
      expect(step?.backfill?.estimatedRows).toBe(4000);
      expect(renderPlanText(result, planPaint(palette(false), false))).toContain(
        "batches of 500 rows by the primary key, pause 50ms between batches; estimated rows: ~4,000",
      );
    });
  });
});
