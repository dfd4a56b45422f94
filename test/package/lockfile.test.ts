/**
 * `npm ci` accepts the lockfile only when it records every optional dependency of every package, the binary
 * packages of other platforms included. npm leaves those out when it resolves against a registry that lacks
 * them, which breaks `npm ci` for everyone else: this test says which entry went missing.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

interface LockEntry {
  version?: string;
  optionalDependencies?: Record<string, string>;
}

const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as { packages: Record<string, LockEntry> };

/**
 * The optional dependencies here are exact (`2.66.0`), caret (`^14.23.0-beta.17`) or tilde (`~2.3.3`) ranges:
 * comparing the major (caret) or major.minor (tilde) tells the 14 and 18 builds of the embedded server apart,
 * which is the mistake that matters here.
 */
function satisfies(version: string, range: string): boolean {
  const head = (v: string, parts: number) => v.split(".").slice(0, parts).join(".");
  if (range.startsWith("^")) return head(version, 1) === head(range.slice(1), 1);
  if (range.startsWith("~")) return head(version, 2) === head(range.slice(1), 2);
  return version === range;
}

/** Whether the `name` npm finds from the package at `at` (its own node_modules, then each parent's) fits `range`. */
function resolves(at: string, name: string, range: string): boolean {
  let dir = at;
  for (;;) {
    const found = lock.packages[`${dir ? `${dir}/` : ""}node_modules/${name}`];
    if (found) return satisfies(found.version ?? "", range);
    if (!dir) return false;
    const parent = dir.lastIndexOf("/node_modules/");
    dir = parent < 0 ? "" : dir.slice(0, parent);
  }
}

describe("package-lock.json", () => {
  it("records every platform's optional package, so npm ci works on any machine", () => {
    const missing = Object.entries(lock.packages).flatMap(([at, entry]) =>
      Object.entries(entry.optionalDependencies ?? {})
        .filter(([name, range]) => !resolves(at, name, range))
        .map(([name, range]) => `${at || "(root)"} -> ${name}@${range}`),
    );
    expect(missing).toEqual([]);
  });
});
