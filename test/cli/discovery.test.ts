/**
 * No migration skipped in silence: a directory without migrations and a file that is not read are warnings in
 * every format of lint and plan; `--strict` (or `"strict": true`) makes them an error (exit 2, one line).
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { tempDir } from "./support.js";

const MIXED = {
  "m/1_a.up.sql": "CREATE TABLE a (id bigint PRIMARY KEY);\n",
  "m/1_a.down.sql": "DROP TABLE a;\n",
  "m/V2__b.sql": "CREATE TABLE b (id bigint PRIMARY KEY);\n",
  "m/README.md": "# migrations\n",
};
const UNREAD = "not read: the directory is golang-migrate layout, this file is named like flyway";

describe("discovery warnings", () => {
  it("lint text: names the file not read, and an empty directory", async () => {
    const cwd = tempDir({ ...MIXED, "empty/.gitkeep": "" });
    const result = await runCli(["lint", "m", "empty"], { cwd });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(
      [
        `m/V2__b.sql  warning  unread-file  ${UNREAD}`,
        "empty  warning  no-migrations  no migrations: the directory holds no migration files",
        "",
        "0 errors, 0 warnings in 1 file (1 statement)",
        "",
      ].join("\n"),
    );
  });

  it("lint json, github and sarif carry the warnings", async () => {
    const cwd = tempDir(MIXED);
    const json = JSON.parse((await runCli(["lint", "m", "--format", "json"], { cwd })).stdout);
    expect(json.notices).toEqual([{ kind: "unread-file", file: "m/V2__b.sql", message: UNREAD }]);
    const github = await runCli(["lint", "m", "--format", "github"], { cwd });
    expect(github.stdout).toBe(`::warning file=m/V2__b.sql,title=unread-file::${UNREAD}\n`);
    const sarif = JSON.parse((await runCli(["lint", "m", "--format", "sarif"], { cwd })).stdout);
    const run = sarif.runs[0];
    expect(run.results).toEqual([
      {
        ruleId: "unread-file",
        ruleIndex: run.tool.driver.rules.findIndex((r: { id: string }) => r.id === "unread-file"),
        level: "warning",
        message: { text: UNREAD },
        locations: [{ physicalLocation: { artifactLocation: { uri: "m/V2__b.sql" } } }],
      },
    ]);
    expect(run.results[0].ruleIndex).toBeGreaterThan(0);
  });

  it("plan text and json carry the warnings", async () => {
    const cwd = tempDir(MIXED);
    const text = await runCli(["plan", "m", "--no-shadow"], { cwd });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`m/V2__b.sql  warning  unread-file  ${UNREAD}\n`);
    const json = JSON.parse((await runCli(["plan", "m", "--no-shadow", "--format", "json"], { cwd })).stdout);
    expect(json.notices).toEqual([{ kind: "unread-file", file: "m/V2__b.sql", message: UNREAD }]);
    const github = await runCli(["plan", "m", "--no-shadow", "--format", "github"], { cwd });
    expect(github.stdout).toContain("::warning file=m/V2__b.sql,title=unread-file::not read: ");
    const empty = tempDir({ "e/notes.txt": "" });
    const none = await runCli(["plan", "e", "--no-shadow"], { cwd: empty });
    expect(none.stdout).toContain(
      "e  warning  no-migrations  no migrations: the directory holds no migration files",
    );
  });

  it("lint and plan name a goose Go migration as one they cannot analyse", async () => {
    const cwd = tempDir({
      "g/00001_a.sql": "-- +goose Up\nCREATE TABLE a (id bigint PRIMARY KEY);\n",
      "g/00002_b.go": "package migrations\n",
      "g/00002_b_test.go": "package migrations\n",
    });
    const line =
      "g/00002_b.go  warning  go-migration  a goose Go migration: safemigrate cannot analyse or run Go; it is listed and recorded, and up stops before it while it is pending";
    const lint = await runCli(["lint", "g", "--strict"], { cwd });
    expect(lint.code).toBe(0);
    expect(lint.stdout).toBe(`${line}\n\n0 errors, 0 warnings in 1 file (1 statement)\n`);
    const plan = await runCli(["plan", "g", "--no-shadow", "--format", "json"], { cwd });
    const report = JSON.parse(plan.stdout);
    expect(report.migrations.map((m: { version: string }) => m.version)).toEqual(["00001"]);
    expect(report.notices.map((n: { kind: string; file: string }) => [n.kind, n.file])).toEqual([
      ["go-migration", "g/00002_b.go"],
    ]);
  });

  it("--strict and the strict key make them an error: exit 2 and one line", async () => {
    const cwd = tempDir({ ...MIXED, "empty/.gitkeep": "" });
    const lint = await runCli(["lint", "m", "--strict"], { cwd });
    expect(lint).toEqual({ code: 2, stdout: "", stderr: `safemigrate: m/V2__b.sql: ${UNREAD} (--strict)\n` });
    const plan = await runCli(["plan", "empty", "--strict", "--no-shadow"], { cwd });
    expect(plan.code).toBe(2);
    expect(plan.stderr).toBe(
      "safemigrate: empty: no migrations: the directory holds no migration files (--strict)\n",
    );
    const configured = tempDir({ ...MIXED, "safemigrate.config.json": JSON.stringify({ strict: true }) });
    expect((await runCli(["lint", "m"], { cwd: configured })).code).toBe(2);
    const env = await runCli(["lint", "m"], { cwd, env: { SAFEMIGRATE_STRICT: "true" } });
    expect(env.code).toBe(2);
    const bad = await runCli(["lint", "m"], { cwd, env: { SAFEMIGRATE_STRICT: "yes" } });
    expect(bad.stderr).toBe("safemigrate: SAFEMIGRATE_STRICT: expected true or false, got 'yes'\n");
    // A clean directory passes under --strict.
    const clean = tempDir({ "m/1_a.up.sql": "SELECT 1;\n", "m/1_a.down.sql": "SELECT 1;\n" });
    expect((await runCli(["lint", "m", "--strict"], { cwd: clean })).code).toBe(0);
  });
});
