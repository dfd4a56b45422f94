/**
 * What the model does not prove is said in every format, never passed in silence: a `not-modelled` note
 * per statement (a `dynamic-sql` warning per EXECUTE of SQL built at run time) and `summary.unmodelled`.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { tempDir } from "./support.js";

const MIGRATION = [
  "SET lock_timeout = '1s';",
  "ALTER DOMAIN positive SET NOT NULL;",
  "DO $$",
  "BEGIN",
  "  EXECUTE format('ALTER TABLE %I ADD COLUMN c int', 'users');",
  "END $$;",
  "",
].join("\n");

const NOTE = "ALTER DOMAIN is not in the statement model: its locks and effects are not known";

describe("coverage in every format", () => {
  const cwd = tempDir({ "db/001_grant.sql": MIGRATION });
  const lint = (format: string) => runCli(["lint", "--format", format, "db"], { cwd });

  it("text: a note per statement, and the count in the summary; notes do not fail the run", async () => {
    const { stdout, code } = await lint("text");
    expect(code).toBe(0);
    expect(stdout).toContain(`db/001_grant.sql:2:1  note  not-modelled  not modelled: ${NOTE}`);
    expect(stdout).toMatch(/db\/001_grant\.sql:5:11 {2}warning {2}dynamic-sql {2}EXECUTE format/);
    expect(stdout).toContain("0 errors, 1 warning in 1 file (3 statements), 2 not modelled");
  });

  it("json: the notes are findings of severity note, and summary.unmodelled counts them", async () => {
    const report = JSON.parse((await lint("json")).stdout);
    expect(report.summary).toEqual({
      files: 1,
      statements: 3,
      errors: 0,
      warnings: 1,
      unmodelled: 2,
      infos: 0,
      notes: 1,
    });
    expect(report.findings.map((f: { rule: string; severity: string }) => [f.rule, f.severity])).toEqual([
      ["not-modelled", "note"],
      ["dynamic-sql", "warning"],
    ]);
  });

  it("sarif: note level; github: a notice annotation", async () => {
    const sarif = JSON.parse((await lint("sarif")).stdout);
    const results = sarif.runs[0].results as Array<{ ruleId: string; level: string }>;
    expect(results.map((r) => [r.ruleId, r.level])).toEqual([
      ["not-modelled", "note"],
      ["dynamic-sql", "warning"],
    ]);
    const rule = sarif.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === "not-modelled");
    expect(rule.defaultConfiguration).toEqual({ enabled: true, level: "note" });
    const github = (await lint("github")).stdout;
    expect(github).toContain("::notice file=db/001_grant.sql,line=2,col=1,");
    expect(github).toContain("::warning file=db/001_grant.sql,line=5,col=11,");
  });

  it("plan: the notes with the migration's findings, and the count in the summary", async () => {
    const text = await runCli(["plan", "db", "--no-shadow"], { cwd });
    expect(text.stdout).toContain(`note db/001_grant.sql:2:1 not-modelled not modelled: ${NOTE}`);
    expect(text.stdout).toMatch(/, 2 not modelled\n$/);
    const json = JSON.parse(
      (await runCli(["plan", "db", "--no-shadow", "--format", "json"], { cwd })).stdout,
    );
    expect(json.summary.unmodelled).toBe(2);
    expect(json.migrations[0].unmodelled).toBe(2);
    expect(json.migrations[0].findings.map((f: { rule: string }) => f.rule)).toEqual([
      "not-modelled",
      "dynamic-sql",
    ]);
  });
});
