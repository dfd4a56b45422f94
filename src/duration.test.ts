import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "./duration.js";
import { UsageError } from "./errors.js";

describe("parseDuration", () => {
  it("reads Postgres interval spelling", () => {
    expect(parseDuration("200ms")).toBe(200);
    expect(parseDuration("2s")).toBe(2000);
    expect(parseDuration("5min")).toBe(300_000);
    expect(parseDuration("1h")).toBe(3_600_000);
    expect(parseDuration("1d")).toBe(86_400_000);
    expect(parseDuration("1.5s")).toBe(1500);
    expect(parseDuration(" 10 seconds ")).toBe(10_000);
    expect(parseDuration("3 mins")).toBe(180_000);
    expect(parseDuration("500us")).toBe(1);
  });

  it("takes a bare number as milliseconds, as lock_timeout does", () => {
    expect(parseDuration("1500")).toBe(1500);
    expect(parseDuration(250)).toBe(250);
  });

  it("rejects anything else with a UsageError naming the setting", () => {
    for (const bad of ["", "soon", "5 fortnights", "-1s", "1s2", "s"]) {
      expect(() => parseDuration(bad, "--lock-timeout")).toThrow(UsageError);
    }
    expect(() => parseDuration("5x", "--lock-timeout")).toThrow(
      "--lock-timeout: '5x' is not a duration (use Postgres interval spelling: 200ms, 2s, 5min, 1h)",
    );
    expect(() => parseDuration(-1)).toThrow(UsageError);
  });
});

describe("formatDuration", () => {
  it("gives the largest exact unit", () => {
    expect(formatDuration(1500)).toBe("1500ms");
    expect(formatDuration(2000)).toBe("2s");
    expect(formatDuration(600_000)).toBe("10min");
    expect(formatDuration(0)).toBe("0ms");
    for (const ms of [1, 999, 1000, 61_000, 3_600_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
