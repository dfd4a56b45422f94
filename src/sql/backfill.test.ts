import { beforeAll, describe, expect, it } from "vitest";
import { backfillDirective } from "./backfill.js";
import { readDirectives } from "./directives.js";
import { initParser, parseSql } from "./parse.js";

beforeAll(initParser);

function read(args: string) {
  return readLine(`-- safemigrate:backfill ${args}`);
}

function readLine(line: string) {
  const text = `SELECT 1;\n${line}\nSELECT 2;`;
  const parsed = parseSql(text);
  const directives = readDirectives(parsed.comments, parsed.statements);
  const error = directives.malformed[0];
  // The column (1-based) on line 2 where an error points.
  const column = error ? error.index - text.indexOf("\n") : null;
  return { backfill: directives.backfills[0], error: error?.message ?? null, column };
}

describe("the backfill directive", () => {
  it("reads table, set and where with the defaults for batch, pause and key", () => {
    const { backfill, error } = read(
      'table=orders set="total_cents = (total * 100)::bigint" where="total_cents IS NULL"',
    );
    expect(error).toBeNull();
    expect(backfill).toMatchObject({
      relation: "orders",
      tableSql: '"orders"',
      set: "total_cents = (total * 100)::bigint",
      where: "total_cents IS NULL",
      assigns: ["total_cents"],
      batch: 1000,
      pauseMs: 0,
      key: null,
    });
  });

  it("takes batch, pause in Postgres interval spelling, and a key", () => {
    const { backfill } = read('table=orders set="a = 1" batch=250 pause=1.5s key=order_id');
    expect(backfill).toMatchObject({ batch: 250, pauseMs: 1500, key: "order_id" });
  });

  it("accepts schema-qualified and quoted names, and quotes every identifier it writes", () => {
    expect(read('table=app.orders set="a = 1"').backfill).toMatchObject({
      relation: "app.orders",
      tableSql: '"app"."orders"',
    });
    const quoted = read('table="\\"My Table\\"" set="\\"Total\\" = 1" key="\\"Order Id\\""').backfill;
    expect(quoted).toMatchObject({
      relation: "My Table",
      tableSql: '"My Table"',
      set: '"Total" = 1',
      key: "Order Id",
    });
    expect(read(`table='public."Odd ""x"""' set="a = 'b'"`).backfill).toMatchObject({
      relation: 'Odd "x"',
      tableSql: '"public"."Odd ""x"""',
      set: "a = 'b'",
    });
  });

  it.each([
    ["table=orders", "backfill: set= is missing", 1],
    ['set="a = 1"', "backfill: table= is missing", 1],
    ['table=orders set="a = 1" limit=5', "backfill: unknown key 'limit'", 50],
    ['table=orders set="a = 1" table=x', "backfill: table= given twice", 50],
    ['table=orders set="a = 1" batch=0', "backfill: batch= expects a number of rows >= 1, got '0'", 50],
    ['table=orders set="a = 1" batch=1e3', "backfill: batch= expects a number of rows >= 1", 50],
    ['table=orders set="a = 1" pause=soon', "backfill: pause=: 'soon' is not a duration", 50],
    ['table="orders o" set="a = 1"', "backfill: table= 'orders o' is not a table name", 25],
    ['table="ONLY orders" set="a = 1"', "is not a table name", 25],
    ['table=orders set="a = 1; DROP TABLE x"', "backfill: set= holds a ;", 38],
    ['table=orders set="a = 1 FROM other"', "set= does not make one UPDATE of the table", 38],
    ['table=orders set="a = 1 RETURNING *"', "set= does not make one UPDATE", 38],
    ['table=orders set="a = 1" where="x) OR (true"', "backfill: where= has unbalanced parentheses", 50],
    ['table=orders set="a = 1" where="b > 2 -- c"', "backfill: where= holds a comment", 50],
    ['table=orders set=""', "backfill: set= is empty", 38],
    ['table=orders set="a = 1" key="a, b"', "backfill: key= 'a, b' is not a single column name", 50],
    ['table=orders set="a = 1" key=t.a', "is not a single column name", 50],
    ['table=orders set="a = 1', 'backfill: set= has an unterminated "', 38],
    ['table=orders "a = 1"', "backfill: expected key=value", 38],
  ])("refuses %s", (args, message, column) => {
    const { backfill, error, column: at } = read(args);
    expect(backfill).toBeUndefined();
    expect(error).toContain(message);
    // The column of the comment (1) or of the key=value pair at fault.
    expect(at).toBe(column);
  });

  it("is written by backfillDirective so that it reads back the same, whatever the names hold", () => {
    const spec = {
      table: '"My ""odd"" Table"',
      set: `"Total \\ Cents" = ("Total" * 100)::bigint, note = 'a "b" \\n'`,
      where: '"Total \\ Cents" IS NULL',
      batch: 500,
      pause: "200ms",
      key: '"Order Id"',
    };
    const line = backfillDirective(spec);
    expect(readLine(line).backfill).toMatchObject({
      relation: 'My "odd" Table',
      tableSql: '"My ""odd"" Table"',
      set: spec.set,
      where: spec.where,
      batch: 500,
      pauseMs: 200,
      key: "Order Id",
    });
    expect(backfillDirective({ table: "orders", set: "a = 1" })).toBe(
      '-- safemigrate:backfill table="orders" set="a = 1"',
    );
  });
});
