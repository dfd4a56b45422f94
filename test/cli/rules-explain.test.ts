import { describe, expect, it } from "vitest";
import { RULES } from "../../src/analysis/rules/index.js";
import { runCli } from "../support/cli.js";

describe("rules", () => {
  it("lists every rule with severity, category and description", async () => {
    const { code, stdout } = await runCli(["rules"]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^RULE\s+SEVERITY\s+CATEGORY\s+DESCRIPTION$/);
    expect(lines).toHaveLength(RULES.length + 1);
    expect(lines[1]).toMatch(/^create-index-non-concurrent\s+error\s+lock\s+\S/);
  });

  it("--format json", async () => {
    const { stdout } = await runCli(["rules", "--format", "json"]);
    const json = JSON.parse(stdout);
    expect(json.version).toBe(1);
    expect(json.rules).toHaveLength(RULES.length);
    expect(Object.keys(json.rules[0])).toEqual([
      "id",
      "severity",
      "category",
      "description",
      "help",
      "docs",
      "aliases",
    ]);
    const dropFunction = json.rules.find((r: { id: string }) => r.id === "drop-function");
    expect(dropFunction.aliases).toEqual(["drop-table"]);
  });

  it("rejects another format", async () => {
    expect(await runCli(["rules", "--format", "sarif"])).toMatchObject({
      code: 2,
      stderr: "safemigrate: rules: --format: expected text or json, got 'sarif'\n",
    });
  });
});

describe("explain", () => {
  it("prints the rule's documentation page", async () => {
    const { code, stdout } = await runCli(["explain", "create-index-non-concurrent"]);
    expect(code).toBe(0);
    expect(stdout.startsWith("# create-index-non-concurrent\n")).toBe(true);
    expect(stdout).toContain("CREATE INDEX CONCURRENTLY");
  });

  it("exits 2 with close matches for an unknown rule", async () => {
    expect(await runCli(["explain", "create-index-concurrent"])).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "safemigrate: unknown rule 'create-index-concurrent' (did you mean create-index-non-concurrent?)\n",
    });
    const far = await runCli(["explain", "zzz"]);
    expect(far.stderr).toBe("safemigrate: unknown rule 'zzz' (see safemigrate rules)\n");
  });
});

describe("program", () => {
  it("exits 2 with one line for a missing or unknown command", async () => {
    expect(await runCli([])).toMatchObject({
      code: 2,
      stdout: "",
      stderr: "safemigrate: missing command (see safemigrate --help)\n",
    });
    expect(await runCli(["lnit"])).toMatchObject({
      code: 2,
      stderr: "safemigrate: unknown command 'lnit'; did you mean 'init' or 'lint'?\n",
    });
  });

  it("prints help and version on stdout with exit 0", async () => {
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("lint [options] [paths...]");
    const version = await runCli(["--version"]);
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });
});
