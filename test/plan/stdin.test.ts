/** `plan -`: one migration read from standard input, as `lint -` reads it. */
import { describe, expect, it } from "vitest";
import { plan } from "../../src/index.js";
import { runCli } from "../support/cli.js";

const MIGRATION = "CREATE TABLE stdin_t (id int);\n\nCREATE INDEX stdin_t_id ON stdin_t (id);\n";

describe("plan -", () => {
  it("plans the migration on standard input, named <stdin>, with its line numbers", async () => {
    const { code, stdout, stderr } = await runCli(["plan", "-", "--format", "json"], { stdin: MIGRATION });
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.migrations).toHaveLength(1);
    const [migration] = report.migrations;
    expect(migration.file).toBe("<stdin>");
    // A new table and its index: one transaction, starting at line 1, traced on the embedded shadow.
    expect(migration.steps).toHaveLength(1);
    expect(migration.steps[0]).toMatchObject({ line: 1, traced: true });
    expect(migration.steps[0].statements).toHaveLength(2);
  });

  it("shows the text plan, and reports a statement that fails on the shadow at its line", async () => {
    const { code, stdout } = await runCli(["plan", "-"], {
      stdin: "SELECT 1;\nALTER TABLE missing ADD COLUMN c int;\n",
    });
    expect(code).toBe(1);
    expect(stdout).toContain("<stdin>:2:1 fails-on-postgres");
  });

  it("reports SQL that does not parse at <stdin>, its line and column, as for a file", async () => {
    const { code, stdout } = await runCli(["plan", "-"], {
      stdin: "CREATE TABLE ok (id int);\nCREATE TABEL x;\n",
    });
    expect(code).toBe(1);
    expect(stdout).toContain("<stdin>:2:8 syntax-error");
  });

  it("is the path - of the programmatic plan(), with the text as an option", async () => {
    const report = await plan("-", { stdin: MIGRATION });
    expect(report.migrations[0]?.file).toBe("<stdin>");
  });
});
