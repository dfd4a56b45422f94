import { describe, expect, it } from "vitest";
import { makeObjectName, nameAddition } from "./pg-names.js";

describe("Postgres default names", () => {
  it("joins table, columns and label", () => {
    expect(makeObjectName("orders", nameAddition(["user_id", "created_at"]), "idx")).toBe(
      "orders_user_id_created_at_idx",
    );
    expect(makeObjectName("orders", null, "pkey")).toBe("orders_pkey");
  });

  it("truncates the longer part first to fit 63 bytes, as makeObjectName does", () => {
    const name = makeObjectName("t".repeat(40), "c".repeat(40), "fkey");
    expect(Buffer.byteLength(name)).toBe(63);
    expect(name).toBe(`${"t".repeat(29)}_${"c".repeat(28)}_fkey`);
  });
});
