/** A malformed backfill directive stops lint and plan with one line naming file, line and column (exit 2). */
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { project } from "./support.js";

const BAD =
  'CREATE TABLE t (id int PRIMARY KEY, a int);\n-- safemigrate:backfill table=t set="a = 1" size=5\n';

describe("a malformed backfill directive", () => {
  it.each([["lint"], ["lint", "--format", "json"], ["plan", "--no-shadow"]])(
    "%s exits 2 with one line",
    async (...args) => {
      const cwd = project({ "001_fill.sql": BAD });
      const result = await runCli([...args, "001_fill.sql"], { cwd });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe(
        "safemigrate: 001_fill.sql:2:45: backfill: unknown key 'size' (expected table, set, where, batch, pause, key)\n",
      );
    },
  );

  it("a good one lints clean", async () => {
    const cwd = project({ "001_fill.sql": BAD.replace(" size=5", " batch=5 pause=10ms key=id") });
    const result = await runCli(["lint", "001_fill.sql"], { cwd });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toBe("0 errors, 0 warnings in 1 file (1 statement)\n");
  });
});
