/** `runner`: findings the safe rewrites resolve are info when safemigrate runs the migrations, in every format. */
import { describe, expect, it } from "vitest";
import { lint } from "../../src/index.js";
import { runCli } from "../support/cli.js";
import { tempDir } from "./support.js";

const CREATE = `CREATE TABLE users (id bigint PRIMARY KEY, email text, org_id bigint);
CREATE TABLE orgs (id bigint PRIMARY KEY);
CREATE INDEX CONCURRENTLY users_org_idx ON users (org_id);
`;

/** One statement per line, each a finding the runner's safe rewrite resolves. */
const CHANGES = `CREATE INDEX users_email_idx ON users (email);
ALTER TABLE users ADD CONSTRAINT users_org_fk FOREIGN KEY (org_id) REFERENCES orgs (id);
ALTER TABLE users ADD CONSTRAINT users_id_check CHECK (id > 0);
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
DROP INDEX users_org_idx;
REINDEX INDEX users_pkey;
`;

/** What each line of CHANGES reports, and the start of the step it becomes with runner: safemigrate. */
const RESOLVED: Array<[string, string]> = [
  ["create-index-non-concurrent", "runs as CREATE INDEX CONCURRENTLY, outside a transaction"],
  [
    "constraint-missing-not-valid",
    "runs as ALTER TABLE ADD CONSTRAINT NOT VALID, in a transaction of its own; then ALTER TABLE VALIDATE CONSTRAINT, in a transaction of its own",
  ],
  [
    "constraint-missing-not-valid",
    "runs as ALTER TABLE ADD CONSTRAINT NOT VALID, in a transaction of its own; then ALTER TABLE VALIDATE CONSTRAINT",
  ],
  [
    "set-not-null-full-scan",
    "runs as ALTER TABLE ADD CONSTRAINT NOT VALID, in a transaction of its own; then ALTER TABLE VALIDATE CONSTRAINT, in a transaction of its own; then ALTER TABLE SET NOT NULL and ALTER TABLE DROP CONSTRAINT",
  ],
  [
    "unique-constraint-without-index",
    "runs as CREATE UNIQUE INDEX CONCURRENTLY, outside a transaction; then ALTER TABLE ADD CONSTRAINT USING INDEX",
  ],
  ["drop-index-non-concurrent", "runs as DROP INDEX CONCURRENTLY, outside a transaction"],
  ["reindex-non-concurrent", "runs as REINDEX INDEX CONCURRENTLY, outside a transaction"],
];

const RULES = [...new Set(RESOLVED.map(([rule]) => rule)), "missing-lock-timeout"];

/** Only the rules under test, at their defaults (the others are tested on their own). */
function project(extra: Record<string, unknown> = {}, changes = CHANGES): string {
  const off = ["strong-lock-held", "transaction-nesting"];
  const rules = Object.fromEntries(off.map((id) => [id, "off"]));
  return tempDir({
    "safemigrate.config.json": JSON.stringify({ rules, ...extra }),
    "db/001_create.sql": CREATE,
    "db/002_changes.sql": changes,
  });
}

interface JsonFinding {
  rule: string;
  severity: string;
  line: number;
  message: string;
}

async function jsonLint(cwd: string, args: string[] = [], env: Record<string, string> = {}) {
  const result = await runCli(["lint", "--format", "json", ...args, "db"], { cwd, env });
  const report = JSON.parse(result.stdout);
  const findings = (report.findings as JsonFinding[]).filter((f) => RULES.includes(f.rule));
  return { code: result.code, report, findings };
}

describe("runner: other (the default)", () => {
  it("reports what another tool would run: errors, and the missing lock_timeout", async () => {
    const { code, findings } = await jsonLint(project());
    expect(code).toBe(1);
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([
      ["create-index-non-concurrent", "error"],
      ["missing-lock-timeout", "warning"],
      ...RESOLVED.slice(1).map(([rule]) => [rule, "error"]),
    ]);
  });
});

describe("runner: safemigrate", () => {
  it("reports each finding the safe rewrite resolves as info, naming the step it becomes", async () => {
    const { code, report, findings } = await jsonLint(project(), ["--runner", "safemigrate"]);
    expect(code).toBe(0);
    expect(findings.map((f) => [f.rule, f.severity, f.line])).toEqual(
      RESOLVED.map(([rule], i) => [rule, "info", i + 1]),
    );
    findings.forEach((f, i) => {
      const [, route] = RESOLVED[i] as [string, string];
      expect(f.message.startsWith(route), `${f.message} starts with ${route}`).toBe(true);
      expect(f.message).toContain("(runner: safemigrate); as written: ");
    });
    expect(report.summary).toMatchObject({ errors: 0, infos: RESOLVED.length });
  });

  it("comes from the config file or SAFEMIGRATE_RUNNER, the flag winning", async () => {
    const configured = await jsonLint(project({ runner: "safemigrate" }));
    expect(configured.code).toBe(0);
    const fromEnv = await jsonLint(project(), [], { SAFEMIGRATE_RUNNER: "safemigrate" });
    expect(fromEnv.findings.every((f) => f.severity === "info")).toBe(true);
    const overridden = await jsonLint(project({ runner: "safemigrate" }), ["--runner", "other"]);
    expect(overridden.code).toBe(1);
  });

  it("keeps an error that the runner runs as written (no-rewrite directive)", async () => {
    const changes = `-- safemigrate:no-rewrite\n${CHANGES}`;
    const { findings } = await jsonLint(project({}, changes), ["--runner", "safemigrate"]);
    expect(findings[0]).toMatchObject({ rule: "create-index-non-concurrent", severity: "error" });
    expect(findings.slice(1).every((f) => f.severity === "info")).toBe(true);
  });

  it("leaves missing-lock-timeout on when a setting names it", async () => {
    const cwd = project({ rules: { "missing-lock-timeout": "warning" } });
    const { findings } = await jsonLint(cwd, ["--runner", "safemigrate"]);
    expect(findings.map((f) => f.rule)).toContain("missing-lock-timeout");
  });

  it("says the runner drops an explicit BEGIN and COMMIT", async () => {
    const cwd = tempDir({ "001_tx.sql": "BEGIN;\nBEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\n" });
    const nested = async (runner: string) => {
      const out = await runCli(["lint", "--format", "json", "--runner", runner, "001_tx.sql"], { cwd });
      return (JSON.parse(out.stdout).findings as JsonFinding[]).find((f) => f.rule === "transaction-nesting");
    };
    expect((await nested("other"))?.severity).toBe("error");
    expect(await nested("safemigrate")).toMatchObject({
      severity: "info",
      message: expect.stringMatching(/^is dropped: safemigrate opens and commits the transactions itself/),
    });
  });

  it("refuses an unknown runner in one line, exit 2", async () => {
    const flag = await runCli(["lint", "--runner", "flyway", "db"], { cwd: project() });
    expect(flag).toEqual({
      code: 2,
      stdout: "",
      stderr: "safemigrate: --runner: expected one of safemigrate, other, got 'flyway'\n",
    });
    const file = await runCli(["lint", "db"], { cwd: project({ runner: 1 }) });
    expect(file.stderr).toBe(
      "safemigrate: safemigrate.config.json: runner: expected one of safemigrate, other, got 1\n",
    );
  });

  it("is an option of the programmatic lint()", async () => {
    const cwd = project();
    const report = await lint(["db"], { cwd, runner: "safemigrate", configFile: true });
    expect(report.summary).toMatchObject({ errors: 0, infos: RESOLVED.length });
  });
});

describe("info in every format", () => {
  const run = (format: string) =>
    runCli(["lint", "--format", format, "--runner", "safemigrate", "db/002_changes.sql"], {
      cwd: tempDir({
        "safemigrate.config.json": JSON.stringify({ rules: { "missing-lock-timeout": "off" } }),
        "db/002_changes.sql": "CREATE INDEX users_email_idx ON users (email);\n",
      }),
    });

  it("text: an info block and the count in the summary, exit 0", async () => {
    const { code, stdout } = await run("text");
    expect(code).toBe(0);
    expect(stdout).toContain(
      "db/002_changes.sql:1:1  info  create-index-non-concurrent  runs as CREATE INDEX CONCURRENTLY, outside a transaction (runner: safemigrate); as written: CREATE INDEX on existing table users",
    );
    expect(stdout).toContain("0 errors, 0 warnings, 1 info in 1 file (1 statement)");
  });

  it("github: a notice; sarif: level note; gitlab: severity info", async () => {
    expect((await run("github")).stdout).toMatch(
      /^::notice file=db\/002_changes\.sql,line=1,col=1,.*title=create-index-non-concurrent::runs as CREATE INDEX CONCURRENTLY/,
    );
    const sarif = JSON.parse((await run("sarif")).stdout);
    expect(sarif.runs[0].results[0]).toMatchObject({ ruleId: "create-index-non-concurrent", level: "note" });
    const gitlab = JSON.parse((await run("gitlab")).stdout);
    expect(gitlab).toMatchObject([{ check_name: "create-index-non-concurrent", severity: "info" }]);
  });
});
