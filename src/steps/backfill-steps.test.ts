import { beforeAll, describe, expect, it } from "vitest";
import { Analyzer } from "../analysis/analyze.js";
import { readMigrationFile } from "../migrations/read-file.js";
import { initParser } from "../sql/parse.js";
import { buildSteps } from "./steps.js";

beforeAll(() => initParser());

const BASE = "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);";
const FILL = '-- safemigrate:backfill table=orders set="cents = (total * 100)::bigint" where="cents IS NULL"';

function analyze(sql: string) {
  const analyzer = new Analyzer(18);
  analyzer.analyze(readMigrationFile("001_base.sql", BASE));
  return analyzer.analyze(readMigrationFile("002_x.sql", sql));
}

describe("backfill steps", () => {
  it("is a step of its own where it stands: the transaction before it commits first", () => {
    const file = analyze(
      `ALTER TABLE orders ADD COLUMN cents bigint;\nSELECT 1;\n${FILL} batch=500\nALTER TABLE orders ADD CONSTRAINT c CHECK (cents IS NOT NULL) NOT VALID;`,
    );
    // The statements around it are in different transactions for lint too.
    const [add, select, check] = file.statements;
    expect(add?.transaction.id).toBe(select?.transaction.id);
    expect(check?.transaction.id).not.toBe(add?.transaction.id);
    const steps = buildSteps(file, { rewrite: true, phase: "expand", pgVersion: 18 });
    expect(steps.map((s) => [s.kind, s.statements])).toEqual([
      ["sql", ["ALTER TABLE orders ADD COLUMN cents bigint", "SELECT 1"]],
      ["backfill", ['UPDATE "orders" SET cents = (total * 100)::bigint WHERE (cents IS NULL)']],
      ["sql", ["ALTER TABLE orders ADD CONSTRAINT c CHECK (cents IS NOT NULL) NOT VALID"]],
    ]);
    expect(steps[1]).toMatchObject({
      transactional: true,
      line: 3,
      column: 1,
      locks: [{ relation: "orders", mode: "RowExclusiveLock", existing: true, blocks: "nothing" }],
      backfill: { batch: 500, relation: "orders" },
    });
  });

  it("runs in the phase of its section, and alone in a file that is nothing else", () => {
    const file = analyze(
      `-- safemigrate:expand\nSELECT 1;\n-- safemigrate:contract\n${FILL}\n${FILL} batch=10`,
    );
    expect(buildSteps(file, { rewrite: true, phase: "expand", pgVersion: 18 }).map((s) => s.kind)).toEqual([
      "sql",
    ]);
    const contract = buildSteps(file, { rewrite: true, phase: "contract", pgVersion: 18 });
    expect(contract.map((s) => [s.kind, s.backfill?.batch])).toEqual([
      ["backfill", 1000],
      ["backfill", 10],
    ]);
    expect(analyze(FILL).backfills).toHaveLength(1);
  });

  it("knows a table this migration created holds no traffic yet", () => {
    const file = analyze(
      `CREATE TABLE fresh (id int PRIMARY KEY, a int);\n${FILL.replace("orders", "fresh")}`,
    );
    const steps = buildSteps(file, { rewrite: true, phase: "expand", pgVersion: 18 });
    expect(steps[1]?.locks).toEqual([
      { relation: "fresh", mode: "RowExclusiveLock", existing: false, blocks: "nothing" },
    ]);
  });

  it("refuses a backfill inside BEGIN ... COMMIT, and a malformed one, naming file, line and column", () => {
    expect(() => analyze(`BEGIN;\nSELECT 1;\n  ${FILL}\nCOMMIT;`)).toThrow(
      "002_x.sql:3:3: backfill: cannot run inside BEGIN ... COMMIT (it commits each batch); move it after the COMMIT",
    );
    expect(() => analyze('SELECT 1;\n-- safemigrate:backfill table=orders set="a = 1" batch=-1')).toThrow(
      "002_x.sql:2:50: backfill: batch= expects a number of rows >= 1, got '-1'",
    );
  });
});
