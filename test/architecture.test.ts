/**
 * The layering of docs/architecture.md: every import of src points down the list of folders, and no module
 * imports itself through others.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./run/helpers.js";

const SRC = join(REPO_ROOT, "src");
const LAYERS = ["cli", "index.ts", "api", "run", "plan", "trace", "shadow", "steps", "db", "config"];
// errors.ts: the error classes every layer throws; duration.ts: the Postgres interval spelling that the
// configuration and the directives (backfill pause=) read alike.
const BELOW = ["analysis", "migrations", "sql", "duration.ts", "errors.ts"];
const ORDER = [...LAYERS, ...BELOW];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** Each module's imports of other modules of src, as paths relative to src (`plan/plan.ts`). */
const IMPORTS = new Map(
  sources(SRC).map((path) => {
    const text = readFileSync(path, "utf8");
    const specs = [...text.matchAll(/(?:from |import\()"(\.{1,2}\/[^"]+)\.js"/g)].map((m) => m[1] as string);
    const targets = specs.map((spec) => relative(SRC, normalize(join(dirname(path), `${spec}.ts`))));
    return [relative(SRC, path), targets] as const;
  }),
);

const layerOf = (module: string) => module.split("/")[0] as string;

describe("architecture", () => {
  it("imports point down the list of layers", () => {
    const upward = [...IMPORTS].flatMap(([module, targets]) =>
      targets
        .filter((t) => ORDER.indexOf(layerOf(t)) < ORDER.indexOf(layerOf(module)))
        .map((t) => `${module} -> ${t}`),
    );
    expect(upward).toEqual([]);
  });

  it("has no import circle", () => {
    const circles: string[] = [];
    const done = new Set<string>();
    const visit = (module: string, path: string[]) => {
      const at = path.indexOf(module);
      if (at !== -1) return void circles.push([...path.slice(at), module].join(" -> "));
      if (done.has(module)) return;
      for (const target of IMPORTS.get(module) ?? []) visit(target, [...path, module]);
      done.add(module);
    };
    for (const module of IMPORTS.keys()) visit(module, []);
    expect(circles).toEqual([]);
  });
});
