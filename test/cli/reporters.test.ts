import { describe, expect, it } from "vitest";
import { escapeData, escapeProperty } from "../../src/cli/reporters/github.js";
import { artifactUri } from "../../src/cli/reporters/sarif.js";
import { runCli } from "../support/cli.js";
import { project, UNSAFE_INDEX } from "./support.js";

describe("github escaping", () => {
  it("escapes %, CR and LF in data, and also : and , in properties", () => {
    expect(escapeData("100% done\r\nnext: a,b")).toBe("100%25 done%0D%0Anext: a,b");
    expect(escapeProperty("dir:x,y%\n.sql")).toBe("dir%3Ax%2Cy%25%0A.sql");
  });

  it("escapes the message of an annotation", async () => {
    const cwd = project({ "001_idx.sql": `${UNSAFE_INDEX}\n` });
    const { stdout } = await runCli(["lint", "--format", "github", "001_idx.sql"], { cwd });
    const message = stdout.trimEnd().split("::").at(-1) as string;
    expect(message).not.toMatch(/[\r\n]/);
    expect(message.replace(/%25|%0D|%0A/g, "")).not.toContain("%");
  });
});

describe("sarif", () => {
  it("uses relative URIs with forward slashes, and file URIs for absolute paths", () => {
    expect(artifactUri("db\\migrations/001 x.sql")).toBe("db/migrations/001%20x.sql");
    expect(artifactUri("/tmp/a b.sql")).toBe("file:///tmp/a%20b.sql");
  });

  it("describes every rule once, disabled rules included, and counts columns in code points", async () => {
    const cwd = project({ "001_idx.sql": `${UNSAFE_INDEX}\n` });
    const log = JSON.parse((await runCli(["lint", "--format", "sarif", "001_idx.sql"], { cwd })).stdout);
    const rules = log.runs[0].tool.driver.rules as Array<{ id: string; defaultConfiguration: object }>;
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    expect(log.runs[0].columnKind).toBe("unicodeCodePoints");
    const off = rules.find((r) => r.id === "drop-column");
    expect(off?.defaultConfiguration).toMatchObject({ enabled: false });
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.runs[0].tool.driver.informationUri).toMatch(/^https:\/\//);
  });
});

describe("gitlab code quality", () => {
  const SEVERITIES = ["info", "minor", "major", "critical", "blocker"];

  it("is an array of issues in GitLab's shape, with stable fingerprints distinct per finding", async () => {
    const cwd = project({ "db/001_idx.sql": `${UNSAFE_INDEX}\n\n${UNSAFE_INDEX}\n` });
    const run = () => runCli(["lint", "--format", "gitlab", "./db/001_idx.sql"], { cwd });
    const first = await run();
    expect(first.code).toBe(1);
    const issues = JSON.parse(first.stdout) as Array<Record<string, unknown>>;
    expect(issues).toHaveLength(2);
    for (const issue of issues) {
      expect(Object.keys(issue).sort()).toEqual([
        "check_name",
        "description",
        "fingerprint",
        "location",
        "severity",
      ]);
      expect(SEVERITIES).toContain(issue.severity);
      expect(issue.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(issues[0]).toMatchObject({
      check_name: "create-index-non-concurrent",
      severity: "major",
      location: { path: "db/001_idx.sql", lines: { begin: 1, end: 1 } },
    });
    expect(issues[1]).toMatchObject({ location: { lines: { begin: 3 } } });
    expect(issues[0]?.description).toMatch(/CREATE INDEX/);
    // Two alike statements are two issues; a rerun, or lines added above, keep each one's fingerprint.
    expect(issues[0]?.fingerprint).not.toBe(issues[1]?.fingerprint);
    expect(JSON.parse((await run()).stdout)).toEqual(issues);
    const shifted = project({
      "db/001_idx.sql": `-- an added comment\n${UNSAFE_INDEX}\n\n${UNSAFE_INDEX}\n`,
    });
    const moved = JSON.parse(
      (await runCli(["lint", "--format", "gitlab", "db/001_idx.sql"], { cwd: shifted })).stdout,
    );
    expect(moved.map((i: { fingerprint: string }) => i.fingerprint)).toEqual(
      issues.map((i) => i.fingerprint),
    );
  });

  it("prints an empty array when there is nothing to report, and warnings as minor", async () => {
    const clean = project({ "001_ok.sql": "CREATE TABLE accounts (id bigint PRIMARY KEY);\n" });
    const none = await runCli(["lint", "--format", "gitlab", "001_ok.sql"], { cwd: clean });
    expect(none).toMatchObject({ code: 0, stdout: "[]\n" });
    const warned = project({ "001_idx.sql": `${UNSAFE_INDEX}\n` }, "warning");
    const out = await runCli(["lint", "--format", "gitlab", "001_idx.sql"], { cwd: warned });
    expect(JSON.parse(out.stdout)[0]).toMatchObject({ severity: "minor" });
  });

  it("shows a file that is not read as a minor issue at its first line", async () => {
    const cwd = project({ "db/001_idx.sql": `${UNSAFE_INDEX}\n`, "db/notes.sql": "SELECT 1;\n" });
    const issues = JSON.parse((await runCli(["lint", "--format", "gitlab", "db"], { cwd })).stdout);
    const unread = issues.find((i: { check_name: string }) => i.check_name === "unread-file");
    expect(unread).toMatchObject({
      severity: "minor",
      location: { path: "db/notes.sql", lines: { begin: 1 } },
    });
  });
});
