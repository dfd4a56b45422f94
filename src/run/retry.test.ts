import { describe, expect, it } from "vitest";
import { backoffDelay, isRetryable } from "./retry.js";

describe("retry", () => {
  const settings = { baseMs: 500, maxMs: 30_000 };

  it("backs off exponentially with full jitter, capped", () => {
    expect(backoffDelay(0, settings, () => 1)).toBe(500);
    expect(backoffDelay(3, settings, () => 1)).toBe(4000);
    expect(backoffDelay(20, settings, () => 1)).toBe(30_000);
    expect(backoffDelay(5, settings, () => 0)).toBe(0);
    expect(backoffDelay(2, settings, () => 0.5)).toBe(1000);
  });

  it("retries lock timeouts and deadlocks only", () => {
    expect(isRetryable({ code: "55P03" })).toBe(true);
    expect(isRetryable({ code: "40P01" })).toBe(true);
    expect(isRetryable({ code: "23505" })).toBe(false);
    expect(isRetryable(new Error("x"))).toBe(false);
  });
});
