import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { checkShadowVersion } from "./server.js";

describe("checkShadowVersion", () => {
  it("refuses a server older than Postgres 14, naming its version", () => {
    expect(() => checkShadowVersion(130012, "13.12")).toThrow(UsageError);
    expect(() => checkShadowVersion(130012, "13.12")).toThrow(
      "--shadow-url: the shadow database needs Postgres 14 or later (it runs 13.12)",
    );
  });

  it("accepts Postgres 14 and later", () => {
    expect(() => checkShadowVersion(140000, "14.0")).not.toThrow();
    expect(() => checkShadowVersion(180001, "18.1")).not.toThrow();
  });
});
