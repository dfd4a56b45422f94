import { describe, expect, it } from "vitest";
import {
  compareDieselVersions,
  compareDigits,
  compareFlywayVersions,
  compareNumericVersions,
  compareText,
} from "./version-order.js";

const sorted = (values: string[], compare: (a: string, b: string) => number) => [...values].sort(compare);

describe("version order", () => {
  it("compares digit strings as integers, beyond Number precision", () => {
    expect(sorted(["10", "9", "100", "011"], compareDigits)).toEqual(["9", "10", "011", "100"]);
    expect(compareDigits("202606261009020000", "202606261009020001")).toBeLessThan(0);
    expect(compareDigits("0007", "7")).toBe(0);
  });

  it("sorts numeric versions numerically, not as strings", () => {
    expect(sorted(["2", "10", "1"], compareNumericVersions)).toEqual(["1", "2", "10"]);
    expect(sorted(["b", "a", "1"], compareNumericVersions)).toEqual(["1", "a", "b"]);
  });

  it("sorts flyway versions part by part", () => {
    expect(sorted(["1.10", "1.9", "1.2.1", "2", "1"], compareFlywayVersions)).toEqual([
      "1",
      "1.2.1",
      "1.9",
      "1.10",
      "2",
    ]);
    expect(compareFlywayVersions("1", "1.0")).toBe(0);
    expect(compareFlywayVersions("1_1", "1.1")).toBe(0);
  });

  it("sorts diesel versions with the dashes removed, as text", () => {
    expect(compareDieselVersions("2017-09-23-182408", "20170309122510")).toBeGreaterThan(0);
    expect(compareDieselVersions("00000000000000", "20140924113530")).toBeLessThan(0);
    // Newer diesel versions carry a `-0000` suffix; text order keeps them in date order.
    expect(compareDieselVersions("2026-06-26-100902-0000", "2026-07-30-140000")).toBeLessThan(0);
  });

  it("compares text by code unit, independent of the locale", () => {
    expect(compareText("B", "a")).toBeLessThan(0);
    expect(compareText("a", "a")).toBe(0);
  });
});
