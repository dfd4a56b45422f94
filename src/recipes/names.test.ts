import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { columnRef, identifierChain, singleName, tableRef } from "./names.js";

describe("identifierChain", () => {
  it("folds unquoted names to lower case and takes quoted ones literally", () => {
    expect(identifierChain("Users.Email", "--x")).toEqual(["users", "email"]);
    expect(identifierChain('"App Schema"."Mixed ""Q"" Tablé"."select"', "--x")).toEqual([
      "App Schema",
      'Mixed "Q" Tablé',
      "select",
    ]);
    // Postgres folds ASCII letters only.
    expect(identifierChain("Größe", "--x")).toEqual(["größe"]);
  });

  it("accepts 63 bytes and refuses 64 (Postgres would truncate)", () => {
    const max = `${"é".repeat(31)}x`; // 63 bytes
    expect(identifierChain(`"${max}"`, "--x")).toEqual([max]);
    expect(() => identifierChain(`"${max}y"`, "--rename-column")).toThrow(
      /^--rename-column: '.*' is not a valid name: '.*' is longer than 63 bytes/,
    );
  });

  it.each([
    ["users..email", /a part is empty|unexpected '\.'/],
    ['"users', /unterminated quoted identifier/],
    ['""', /zero-length quoted identifier/],
    ["users.e-mail", /unexpected '-' at character 8 \(quote the name\)/],
    ["1users", /unexpected '1' at character 1/],
    ["", /a part is empty/],
  ])("refuses %j in one line", (text, message) => {
    expect(() => identifierChain(text, "--x")).toThrow(UsageError);
    expect(() => identifierChain(text, "--x")).toThrow(message);
  });
});

describe("table and column references", () => {
  it("reads [schema.]table[.column]", () => {
    expect(tableRef("orders", "--x")).toEqual({ schema: null, table: "orders" });
    expect(tableRef("app.orders", "--x")).toEqual({ schema: "app", table: "orders" });
    expect(columnRef("orders.total", "--x")).toEqual({ schema: null, table: "orders", column: "total" });
    expect(columnRef('app."Orders".total', "--x")).toEqual({
      schema: "app",
      table: "Orders",
      column: "total",
    });
    expect(singleName('"New Name"', "--x")).toBe("New Name");
  });

  it("refuses the wrong number of parts", () => {
    expect(() => columnRef("orders", "--set-not-null")).toThrow(
      "--set-not-null: 'orders' is not a column name (expected [schema.]table.column)",
    );
    expect(() => tableRef("a.b.c", "--rename-table")).toThrow(/expected \[schema\.\]table/);
    expect(() => singleName("a.b", "--rename-column")).toThrow(/not a single name/);
  });
});
