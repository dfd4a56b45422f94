import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { lintMigrations } from "../analysis/lint.js";
import { readMigrationFile } from "../migrations/read-file.js";
import { initParser } from "../sql/parse.js";
import { unusedNoRewrites } from "./no-rewrite.js";
import { plan } from "./plan.js";

beforeAll(() => initParser());

const BASE = "CREATE TABLE t (id int, a int);";
const CHANGES = [
  "-- safemigrate:no-rewrite",
  "CREATE INDEX t_a ON t (a);",
  "-- safemigrate:no-rewrite",
  "INSERT INTO t VALUES (1);",
  "-- safemigrate:contract",
  "-- safemigrate:no-rewrite",
].join("\n");

function resultOf(rules = {}) {
  const lint = lintMigrations(
    [readMigrationFile("001_a.sql", BASE), readMigrationFile("002_b.sql", CHANGES)],
    {
      pgVersion: 18,
      rules,
    },
  );
  return lint.files[1] as (typeof lint.files)[number];
}

describe("unused no-rewrite directives", () => {
  it("reports one whose statement has no safe rewrite, or that precedes no statement, in its phase", () => {
    const file = resultOf();
    // lint alone does not take a no-rewrite for an unknown directive.
    expect(file.findings.filter((f) => f.rule === "unused-ignore")).toEqual([]);
    expect(
      unusedNoRewrites(file, "expand", 18).map((f) => [f.line, f.column, f.severity, f.message]),
    ).toEqual([
      [3, 1, "warning", "no-rewrite directive changes nothing: the next statement has no safe rewrite"],
    ]);
    expect(unusedNoRewrites(file, "contract", 18).map((f) => [f.line, f.message])).toEqual([
      [6, "no-rewrite directive changes nothing: no statement follows it"],
    ]);
  });

  it("follows the severity configured for unused-ignore", () => {
    expect(unusedNoRewrites(resultOf(), "expand", 18, { "unused-ignore": "off" })).toEqual([]);
    const errors = unusedNoRewrites(resultOf(), "expand", 18, { "unused-ignore": "error" });
    expect(errors.map((f) => f.severity)).toEqual(["error"]);
  });

  it("shows in plan's findings of the migration", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sm-norewrite-"));
    writeFileSync(join(dir, "001_a.sql"), BASE);
    writeFileSync(join(dir, "002_b.sql"), CHANGES);
    const result = await plan({ path: dir, trace: false });
    const findings = result.migrations.find((m) => m.version === "002" && m.phase === "expand")?.findings;
    expect(findings?.filter((f) => f.rule === "unused-ignore").map((f) => f.line)).toEqual([3]);
    const step = result.migrations.find((m) => m.version === "002")?.steps[0];
    expect(step?.sql).toContain("CREATE INDEX t_a ON t (a)");
  });
});
