/**
 * The package as users get it: `npm pack`, then `npm install <tarball>` into an empty project (dependencies
 * from the npm cache where it has them, else the registry), and the CLI and the API run from there.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, ROOT } from "../cli/support.js";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

interface PackResult {
  filename: string;
  files: { path: string }[];
}

let packed: PackResult;
let project: string;

function inProject(command: string, args: string[], input = "") {
  const child = spawnSync(command, args, { cwd: project, input, encoding: "utf8" });
  return { code: child.status, stdout: child.stdout, stderr: child.stderr };
}

beforeAll(() => {
  ensureBuilt();
  const destination = mkdtempSync(join(tmpdir(), "safemigrate-pack-"));
  // --ignore-scripts: dist is built above; `prepare` would rebuild it under the feet of the other test files.
  const out = execFileSync(npm, ["pack", "--json", "--ignore-scripts", "--pack-destination", destination], {
    cwd: ROOT,
    encoding: "utf8",
  });
  packed = (JSON.parse(out) as PackResult[])[0] as PackResult;
  project = mkdtempSync(join(tmpdir(), "safemigrate-user-"));
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "user-project", private: true, type: "module" }),
  );
  execFileSync(
    npm,
    [
      "install",
      join(destination, packed.filename),
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
    ],
    { cwd: project, encoding: "utf8" },
  );
}, 300_000);

describe("the packed tarball", () => {
  it("holds only what users need: the built code, the bin, docs, README and LICENSE", () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "bin/safemigrate.js",
        "dist/index.js",
        "dist/index.d.ts",
        "README.md",
        "LICENSE",
      ]),
    );
    const unwanted = paths.filter((p) =>
      /(^|\/)(test|fixtures|src|scripts)\/|\.test\.|\.tsbuildinfo$/.test(p),
    );
    expect(unwanted).toEqual([]);
    expect(paths.every((p) => /^(bin|dist|docs)\/|^(README\.md|LICENSE|package\.json)$/.test(p))).toBe(true);
  });

  it("runs npx safemigrate --version, lint and plan from an installed project", () => {
    const version = inProject("npx", ["--no-install", "safemigrate", "--version"]);
    expect(version.stdout.trim()).toBe(
      JSON.parse(
        execFileSync("node", ["-p", "JSON.stringify(require('./package.json').version)"], {
          cwd: ROOT,
          encoding: "utf8",
        }),
      ),
    );

    writeFileSync(join(project, "001_t.sql"), "CREATE INDEX orders_created_at ON orders (created_at);\n");
    const lint = inProject("npx", ["--no-install", "safemigrate", "lint", "001_t.sql", "--format", "json"]);
    expect(lint.code, lint.stderr).toBe(1);
    expect(JSON.parse(lint.stdout).findings.map((f: { rule: string }) => f.rule)).toContain(
      "create-index-non-concurrent",
    );

    const plan = inProject("npx", ["--no-install", "safemigrate", "plan", "001_t.sql", "--format", "json"]);
    expect(plan.code, plan.stderr).not.toBe(2);
    expect(JSON.parse(plan.stdout).version).toBe(1);
  });

  it("is importable as a library, with its types", () => {
    const script =
      'import { lint, plan, up, contract, status } from "safemigrate"; console.log([lint, plan, up, contract, status].map((f) => typeof f).join(","));';
    const imported = inProject("node", ["--input-type=module", "-e", script]);
    expect(imported.stdout.trim(), imported.stderr).toBe("function,function,function,function,function");
    const installed = join(project, "node_modules", "safemigrate");
    const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as { types: string };
    expect(readFileSync(join(installed, manifest.types), "utf8")).toContain("lint");
  });
});
