import { describe, expect, it } from "vitest";
import { runCli } from "../../../test/support/cli.js";
import { findingsOf } from "../../../test/support/lint.js";

const rule = "fails-on-postgres";

// Plan reports it (test/plan/cases.test.ts runs statements on the shadow); lint never touches a database.
describe(rule, () => {
  it("is never reported by lint, even for a statement that Postgres would reject", () => {
    expect(findingsOf(rule, "ALTER TABLE no_such_table ADD COLUMN x int;")).toEqual([]);
  });

  it("is in the catalogue: explain prints its page, and a severity setting names it", async () => {
    const explained = await runCli(["explain", rule]);
    expect(explained.code).toBe(0);
    expect(explained.stdout.startsWith(`# ${rule}\n`)).toBe(true);
    const listed = await runCli(["rules"]);
    expect(listed.stdout).toMatch(/^fails-on-postgres\s+error\s+syntax/m);
    const off = await runCli(["lint", "--rule", `${rule}=off`, "-"], { stdin: "SELECT 1;" });
    expect(off).toMatchObject({ code: 0, stderr: "" });
  });
});
