import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, project, SAFE_SQL, spawnCli, tempDir, UNSAFE_INDEX } from "./support.js";

beforeAll(() => ensureBuilt(), 180_000);

describe("bin/safemigrate.js as a process", () => {
  it("exits 0, 1 and 2", () => {
    const cwd = project({ "001_ok.sql": `${SAFE_SQL}\n`, "002_idx.sql": `${UNSAFE_INDEX}\n` });
    expect(spawnCli(["lint", "001_ok.sql"], { cwd }).code).toBe(0);
    expect(spawnCli(["lint", "002_idx.sql"], { cwd }).code).toBe(1);
    const bad = spawnCli(["lint", "missing.sql"], { cwd });
    expect(bad).toEqual({
      code: 2,
      stdout: "",
      stderr: "safemigrate: cannot read missing.sql: no such file or directory\n",
    });
  });

  it("reads stdin for -", () => {
    const cwd = project({});
    const result = spawnCli(["lint", "--format", "json", "-"], { cwd, stdin: `${UNSAFE_INDEX}\n` });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).findings[0]).toMatchObject({ file: "<stdin>", line: 1 });
  });

  it("never prints a stack trace for bad input", () => {
    const cwd = project({ "safemigrate.config.json": "{ not json" });
    for (const args of [
      ["lint", "."],
      ["lint", "--format", "xml", "."],
      ["nope"],
      ["lint", "--max-warnings"],
    ]) {
      const result = spawnCli(args, { cwd });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^safemigrate: [^\n]+\n$/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("does not print a database password from a bad URL", () => {
    const cwd = project({});
    const result = spawnCli(["lint", "."], { cwd, env: { DATABASE_URL: "mysql://app:hunter2@db/x" } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("safemigrate: DATABASE_URL: not a valid postgres:// or postgresql:// URL\n");
  });

  it("init, --version and a mistyped command", () => {
    const cwd = tempDir({ "migrations/001_a.sql": SAFE_SQL });
    const init = spawnCli(["init"], { cwd });
    expect(init).toMatchObject({ code: 0, stderr: "" });
    expect(init.stdout).toContain("uses: safemigrate/safemigrate@v0");
    expect(spawnCli(["lint"], { cwd })).toMatchObject({ code: 0, stderr: "" });
    expect(spawnCli(["--version"], { cwd }).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(spawnCli(["lnt"], { cwd })).toMatchObject({
      code: 2,
      stderr: "safemigrate: unknown command 'lnt'; did you mean 'lint'?\n",
    });
  });
});
