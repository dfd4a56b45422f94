/**
 * Durations in Postgres interval spelling (`200ms`, `2s`, `5min`, `1h`, `1 d`), as `lock_timeout` and
 * `statement_timeout` accept them, so that a value can be copied between psql and safemigrate unchanged.
 */
import { UsageError } from "./errors.js";

const UNIT_MS: Record<string, number> = {
  us: 0.001,
  ms: 1,
  s: 1000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** Spellings Postgres also accepts for the units above (`sec`, `mins`, `hours`...). */
const ALIASES: Record<string, string> = {
  microsecond: "us",
  microseconds: "us",
  millisecond: "ms",
  milliseconds: "ms",
  msec: "ms",
  msecs: "ms",
  sec: "s",
  secs: "s",
  second: "s",
  seconds: "s",
  m: "min",
  mins: "min",
  minute: "min",
  minutes: "min",
  hr: "h",
  hrs: "h",
  hour: "h",
  hours: "h",
  day: "d",
  days: "d",
};

const PATTERN = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)\s*$/i;

/**
 * Milliseconds for a duration. A bare number is milliseconds, as for Postgres' timeout settings.
 * Throws a `UsageError` (with `what` naming the setting) for anything else.
 */
export function parseDuration(value: string | number, what = "duration"): number {
  if (typeof value === "number") {
    if (Number.isFinite(value) && value >= 0) return value;
    throw new UsageError(`${what}: expected a duration, got ${value}`);
  }
  const match = PATTERN.exec(value);
  const rawUnit = match?.[2]?.toLowerCase() ?? "";
  const unit = rawUnit === "" ? "ms" : (ALIASES[rawUnit] ?? rawUnit);
  const factor = UNIT_MS[unit];
  if (!match || factor === undefined) {
    throw new UsageError(
      `${what}: '${value}' is not a duration (use Postgres interval spelling: 200ms, 2s, 5min, 1h)`,
    );
  }
  return Math.round(Number(match[1]) * factor);
}

/** The shortest exact Postgres spelling of a duration in milliseconds (`1500` -> `1500ms`, `60000` -> `1min`). */
export function formatDuration(ms: number): string {
  for (const unit of ["d", "h", "min", "s"] as const) {
    const factor = UNIT_MS[unit] as number;
    if (ms >= factor && ms % factor === 0) return `${ms / factor}${unit}`;
  }
  return `${ms}ms`;
}
