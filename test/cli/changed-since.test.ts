/** `lint --changed-since <ref>` in temporary git repositories: only what the branch changes is reported. */
import { execFileSync } from "node:child_process";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { lint } from "../../src/index.js";
import { runCli } from "../support/cli.js";
import { onlyRules, tempDir } from "./support.js";

const CONFIG = JSON.stringify({
  rules: onlyRules({ "create-index-non-concurrent": "error", "column-type-change": "error" }),
});
const CREATE = "CREATE TABLE users (id bigint PRIMARY KEY, name varchar(10), email text);\n";
const INDEX = "CREATE INDEX users_email_idx ON users (email);\n";
/** Safe only when the earlier migration's CREATE TABLE is known: varchar(10) to varchar(20) does not rewrite. */
const WIDEN = "ALTER TABLE users ALTER COLUMN name TYPE varchar(20);\n";

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", ...args], {
    cwd,
    encoding: "utf8",
  });
}

function write(cwd: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(cwd, path)), { recursive: true });
    writeFileSync(join(cwd, path), text);
  }
}

function commit(cwd: string, message: string): void {
  git(cwd, "add", "-A");
  git(cwd, "commit", "-q", "-m", message);
}

/** A repository whose `main` holds `files`, with `feature` checked out from it. */
function repository(files: Record<string, string>): string {
  const cwd = tempDir({ "safemigrate.config.json": CONFIG, ...files });
  git(cwd, "init", "-q", "-b", "main");
  commit(cwd, "main");
  git(cwd, "checkout", "-q", "-b", "feature");
  return cwd;
}

async function changedFindings(cwd: string, ref = "main", path = "db") {
  const result = await runCli(["lint", "--format", "json", "--changed-since", ref, path], { cwd });
  const report = JSON.parse(result.stdout);
  return {
    code: result.code,
    summary: report.summary,
    found: (report.findings as Array<{ file: string; rule: string }>).map((f) => [f.file, f.rule]),
  };
}

describe("lint --changed-since", () => {
  it("reports an added migration, with the schema of the unchanged ones before it", async () => {
    const cwd = repository({ "db/001_create.sql": CREATE, "db/002_index.sql": INDEX });
    write(cwd, { "db/003_widen.sql": WIDEN, "db/004_index.sql": INDEX.replace(/email/g, "name") });
    commit(cwd, "feature");
    const { code, found, summary } = await changedFindings(cwd);
    // 002's finding is not the branch's; 003 knows users.name from 001, so widening it is safe.
    expect(found).toEqual([["db/004_index.sql", "create-index-non-concurrent"]]);
    expect(summary).toMatchObject({ files: 2, errors: 1 });
    expect(code).toBe(1);
    // Without the unchanged files, 003's column type would be unknown and reported.
    const alone = await runCli(["lint", "--format", "json", "db/003_widen.sql"], { cwd });
    expect(JSON.parse(alone.stdout).findings.map((f: { rule: string }) => f.rule)).toEqual([
      "column-type-change",
    ]);
  });

  it("reports a modified migration, and exits 0 when the changed files are clean", async () => {
    const cwd = repository({
      "db/001_create.sql": CREATE,
      "db/002_index.sql": INDEX,
      "db/003_more.sql": "SELECT 1;\n",
    });
    expect(await changedFindings(cwd)).toMatchObject({ code: 0, found: [] });
    write(cwd, { "db/003_more.sql": INDEX.replace(/email/g, "name") });
    commit(cwd, "feature");
    expect((await changedFindings(cwd)).found).toEqual([["db/003_more.sql", "create-index-non-concurrent"]]);
  });

  it("reports a renamed migration under its new name", async () => {
    const cwd = repository({ "db/001_create.sql": CREATE, "db/002_idx.sql": INDEX });
    git(cwd, "mv", "db/002_idx.sql", "db/002_email_index.sql");
    commit(cwd, "rename");
    expect((await changedFindings(cwd)).found).toEqual([
      ["db/002_email_index.sql", "create-index-non-concurrent"],
    ]);
  });

  it("compares with the merge base: what changed on the ref since the branch started is not reported", async () => {
    const cwd = repository({ "db/001_create.sql": CREATE });
    git(cwd, "checkout", "-q", "main");
    write(cwd, { "db/002_index.sql": INDEX });
    commit(cwd, "main moves on");
    git(cwd, "checkout", "-q", "feature");
    git(cwd, "merge", "-q", "--no-edit", "main");
    expect((await changedFindings(cwd)).found).toEqual([]);
  });

  it("counts what is not committed yet: working tree changes and untracked files", async () => {
    const cwd = repository({ "db/001_create.sql": CREATE, "db/002_more.sql": "SELECT 1;\n" });
    write(cwd, { "db/002_more.sql": INDEX, "db/003_new.sql": INDEX.replace(/email/g, "name") });
    expect((await changedFindings(cwd)).found).toEqual([
      ["db/002_more.sql", "create-index-non-concurrent"],
      ["db/003_new.sql", "create-index-non-concurrent"],
    ]);
  });

  it("asks git from a subdirectory, and counts a moved migration as changed", async () => {
    const cwd = repository({ "db/001_create.sql": CREATE });
    write(cwd, { "db/002_index.sql": INDEX });
    commit(cwd, "feature");
    renameSync(join(cwd, "db"), join(cwd, "migrations"));
    commit(cwd, "move the directory");
    const args = ["lint", "--format", "json", "--config", "../safemigrate.config.json"];
    const result = await runCli([...args, "--changed-since", "main", "."], { cwd: join(cwd, "migrations") });
    const report = JSON.parse(result.stdout);
    expect(report.findings.map((f: { file: string }) => f.file)).toEqual(["002_index.sql"]);
    expect(report.summary).toMatchObject({ files: 2, errors: 1 });
  });

  it("is an option of the programmatic lint()", async () => {
    const cwd = repository({ "db/001_create.sql": CREATE, "db/002_index.sql": INDEX });
    write(cwd, { "db/003_index.sql": INDEX.replace(/email/g, "name") });
    const report = await lint(["db"], { cwd, configFile: true, changedSince: "main" });
    expect(report.findings.map((f) => f.file)).toEqual([join(cwd, "db/003_index.sql")]);
  });

  it("refuses an unknown ref, a directory outside git, and no common ancestor in one line, exit 2", async () => {
    const cwd = repository({ "db/001_create.sql": CREATE });
    expect(await runCli(["lint", "--changed-since", "mian", "db"], { cwd })).toEqual({
      code: 2,
      stdout: "",
      stderr: "safemigrate: --changed-since: unknown git ref 'mian'\n",
    });
    const dashed = await runCli(["lint", "--changed-since=--output=x", "db"], { cwd });
    expect(dashed.stderr).toBe("safemigrate: --changed-since: unknown git ref '--output=x'\n");
    git(cwd, "checkout", "-q", "--orphan", "unrelated");
    commit(cwd, "unrelated");
    const orphan = await runCli(["lint", "--changed-since", "main", "db"], { cwd });
    expect(orphan.code).toBe(2);
    expect(orphan.stderr).toMatch(
      /^safemigrate: --changed-since: 'main' and HEAD have no common ancestor .*\n$/,
    );
    const outside = tempDir({ "db/001_create.sql": CREATE });
    const none = await runCli(["lint", "--changed-since", "main", "db"], { cwd: outside });
    expect(none).toEqual({
      code: 2,
      stdout: "",
      stderr: `safemigrate: --changed-since: ${outside} is not in a git repository\n`,
    });
  });
});
