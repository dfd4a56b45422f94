import { describe, expect, it } from "vitest";
import { lint, plan, UsageError } from "../../src/index.js";
import { onlyRules, tempDir, UNSAFE_INDEX } from "./support.js";

describe("programmatic lint()", () => {
  const rules = onlyRules({ "create-index-non-concurrent": "error" }) as Record<string, "off" | "error">;

  it("returns the JSON contract for files and directories", async () => {
    const cwd = tempDir({ "db/001_idx.sql": `${UNSAFE_INDEX}\n` });
    const report = await lint(["db"], { cwd, rules });
    expect(report.version).toBe(1);
    expect(report.summary).toEqual({
      files: 1,
      statements: 1,
      errors: 1,
      warnings: 0,
      unmodelled: 0,
      infos: 0,
      notes: 0,
    });
    expect(report.findings[0]?.rule).toBe("create-index-non-concurrent");
    expect(report.findings[0]?.file.endsWith("001_idx.sql")).toBe(true);
  });

  it("lints the given stdin text for -", async () => {
    const report = await lint(["-"], { stdin: UNSAFE_INDEX, rules });
    expect(report.findings[0]?.file).toBe("<stdin>");
  });

  it("applies a config file only when asked", async () => {
    const cwd = tempDir({
      "safemigrate.config.json": JSON.stringify({ rules: { "create-index-non-concurrent": "off" } }),
      "001_idx.sql": `${UNSAFE_INDEX}\n`,
    });
    expect((await lint(["001_idx.sql"], { cwd, rules })).summary.errors).toBe(1);
    const { "create-index-non-concurrent": _, ...others } = rules;
    expect((await lint(["001_idx.sql"], { cwd, rules: others, configFile: true })).summary.errors).toBe(0);
  });

  it("throws a UsageError for bad input", async () => {
    await expect(lint(["/nonexistent/x.sql"])).rejects.toBeInstanceOf(UsageError);
    await expect(lint(["-"], { rules: { nope: "off" } })).rejects.toThrow("unknown rule 'nope'");
  });
});

describe("programmatic plan()", () => {
  it("returns the plan JSON contract, traced on the embedded shadow", async () => {
    const cwd = tempDir({
      "db/001_t.sql": "CREATE TABLE api_plan (id int);\n",
      "db/002_idx.sql": `${UNSAFE_INDEX}\n`,
    });
    const report = await plan(`${cwd}/db`);
    expect(report.version).toBe(1);
    expect(report.migrations.map((m) => m.version)).toEqual(["001", "002"]);
    await expect(plan(`${cwd}/nope`)).rejects.toBeInstanceOf(UsageError);
  });
});
