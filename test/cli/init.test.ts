/** `safemigrate init`: finds the migration directory, writes a config file the loader reads, prints CI set-ups. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { githubActionsSnippet, gitlabCiSnippet } from "../../src/cli/init/ci-snippets.js";
import { starterConfig } from "../../src/cli/init/config-file.js";
import { loadConfig } from "../../src/config/index.js";
import { runCli } from "../support/cli.js";
import { ROOT, tempDir } from "./support.js";

const GOOSE = "-- +goose Up\nCREATE TABLE a (id bigint PRIMARY KEY);\n-- +goose Down\nDROP TABLE a;\n";
const PRISMA = "CREATE TABLE b (id bigint PRIMARY KEY);\n";

function written(cwd: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(cwd, "safemigrate.config.json"), "utf8")) as Record<string, unknown>;
}

describe("init", () => {
  it("writes a commented config for the detected directory and layout, which the loader and lint read", async () => {
    const cwd = tempDir({ "db/migrations/001_a.sql": GOOSE, "db/migrations/002_b.sql": GOOSE });
    const { code, stdout, stderr } = await runCli(["init"], { cwd });
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout.split("\n")[0]).toBe(
      "wrote safemigrate.config.json: migrations in db/migrations (goose layout, 2 migrations)",
    );
    const file = written(cwd);
    expect(file).toMatchObject({
      migrationsDir: "db/migrations",
      layout: "goose",
      pgVersion: 14,
      runner: "other",
    });
    // Every setting is explained by a comment key just before it.
    const keys = Object.keys(file);
    for (const key of ["migrationsDir", "layout", "pgVersion", "runner"]) {
      expect(keys[keys.indexOf(key) - 1]).toBe(`// ${key}`);
    }
    expect(file["// layout"]).toBe(
      "goose, detected from 2 migrations; remove this key to detect it on every run",
    );
    expect(loadConfig({ cwd, env: {} })).toMatchObject({
      migrationsDir: "db/migrations",
      layout: "goose",
      pgVersion: 14,
      runner: "other",
      rules: {},
    });
    const lint = await runCli(["lint"], { cwd });
    expect(lint).toMatchObject({ code: 0, stderr: "" });
    expect(lint.stdout).toContain("in 2 files");
  });

  it("writes the file docs/config.md shows", () => {
    const docs = readFileSync(join(ROOT, "docs", "config.md"), "utf8");
    const shown = /## The file init writes[\s\S]*?```json\n([\s\S]*?)```/.exec(docs)?.[1];
    const file = starterConfig({
      migrationsDir: "db/migrations",
      layout: "goose",
      layoutSource: "detected from 12 migrations",
      pgVersion: 14,
      runner: "other",
    });
    expect(shown).toBe(file);
  });

  it("prints the GitHub Actions and GitLab CI set-ups for the directory", async () => {
    const cwd = tempDir({ "db/migrations/001_a.sql": GOOSE });
    const { stdout } = await runCli(["init"], { cwd });
    expect(stdout).toContain(
      `GitHub Actions (.github/workflows/safemigrate.yml):\n\n${githubActionsSnippet("db/migrations", "safemigrate.config.json")}`,
    );
    expect(stdout).toContain(
      `GitLab CI (.gitlab-ci.yml):\n\n${gitlabCiSnippet("db/migrations", "safemigrate.config.json")}`,
    );
  });

  it("prefers a directory that holds migrations, and names the others", async () => {
    const cwd = tempDir({
      "migrations/.gitkeep": "",
      "prisma/migrations/20240101000000_init/migration.sql": PRISMA,
      "prisma/migrations/migration_lock.toml": 'provider = "postgresql"\n',
      "supabase/migrations/20240101000000_x.sql": PRISMA,
    });
    const { code, stdout } = await runCli(["init"], { cwd });
    expect(code).toBe(0);
    expect(stdout.split("\n").slice(0, 2)).toEqual([
      "wrote safemigrate.config.json: migrations in prisma/migrations (prisma layout, 1 migration)",
      "note: supabase/migrations also holds migrations; --migrations <dir> chooses another",
    ]);
    expect(written(cwd)).toMatchObject({ migrationsDir: "prisma/migrations", layout: "prisma" });
  });

  it("leaves the layout to detection for a directory without migrations yet", async () => {
    const cwd = tempDir({ "migrations/.gitkeep": "" });
    const { code, stdout } = await runCli(["init"], { cwd });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^wrote safemigrate\.config\.json: migrations in migrations \(no migrations yet/);
    const file = written(cwd);
    expect(file.migrationsDir).toBe("migrations");
    expect(file).not.toHaveProperty("layout");
    expect(loadConfig({ cwd, env: {} }).layout).toBeUndefined();
  });

  it("takes --migrations, --layout, --pg-version and --runner, for a directory that may not exist yet", async () => {
    const cwd = tempDir({ "sql/V1__init.sql": PRISMA });
    expect((await runCli(["init", "--migrations", "sql"], { cwd })).code).toBe(0);
    expect(written(cwd)).toMatchObject({ migrationsDir: "sql", layout: "flyway" });

    const fresh = tempDir();
    const given = ["init", "--migrations", "schema/changes", "--layout", "dbmate"];
    const { code, stdout } = await runCli([...given, "--pg-version", "16", "--runner", "safemigrate"], {
      cwd: fresh,
    });
    expect(code).toBe(0);
    expect(stdout.split("\n")[0]).toBe(
      "wrote safemigrate.config.json: migrations in schema/changes (does not exist yet: safemigrate new creates it)",
    );
    expect(loadConfig({ cwd: fresh, env: {} })).toMatchObject({
      migrationsDir: "schema/changes",
      layout: "dbmate",
      pgVersion: 16,
      runner: "safemigrate",
    });
    expect(written(fresh)["// layout"]).toBe("dbmate, given; remove this key to detect it on every run");
  });

  it("writes into the project directory given, with paths relative to it", async () => {
    const cwd = tempDir({ "app/db/migrations/001_a.sql": GOOSE });
    const { code, stdout } = await runCli(["init", "app"], { cwd });
    expect(code).toBe(0);
    expect(stdout.split("\n")[0]).toBe(
      "wrote app/safemigrate.config.json: migrations in db/migrations (goose layout, 1 migration)",
    );
    expect(loadConfig({ cwd: join(cwd, "app"), env: {} }).migrationsDir).toBe("db/migrations");
    // --migrations is relative to the working directory, as the shell completes it.
    const other = tempDir({ "app/sql/001_a.sql": GOOSE });
    await runCli(["init", "app", "--migrations", "app/sql"], { cwd: other });
    expect(written(join(other, "app")).migrationsDir).toBe("sql");
  });

  it("never overwrites a config without --force", async () => {
    const cwd = tempDir({ "db/migrations/001_a.sql": GOOSE, "safemigrate.config.json": '{"pgVersion": 16}' });
    expect(await runCli(["init"], { cwd })).toEqual({
      code: 2,
      stdout: "",
      stderr: "safemigrate: init: safemigrate.config.json already exists (pass --force to overwrite it)\n",
    });
    expect(readFileSync(join(cwd, "safemigrate.config.json"), "utf8")).toBe('{"pgVersion": 16}');
    expect((await runCli(["init", "--force"], { cwd })).code).toBe(0);
    expect(written(cwd).layout).toBe("goose");

    const pkg = tempDir({
      "db/migrations/001_a.sql": GOOSE,
      "package.json": '{"safemigrate": {"pgVersion": 16}}',
    });
    expect(await runCli(["init"], { cwd: pkg })).toEqual({
      code: 2,
      stdout: "",
      stderr:
        'safemigrate: init: package.json has a "safemigrate" key, which safemigrate.config.json would replace (pass --force to write it anyway)\n',
    });
    expect(existsSync(join(pkg, "safemigrate.config.json"))).toBe(false);
  });

  it("rejects bad input with one line, exit 2", async () => {
    const empty = tempDir({ "src/index.ts": "" });
    const none = await runCli(["init"], { cwd: empty });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(
      /^safemigrate: init: no migration directory found in \. \(looked for migrations, db\/migrations, prisma\/migrations, .*\); pass --migrations <dir>\n$/,
    );
    const cwd = tempDir({ "db/migrations/001_a.sql": GOOSE, "notes.txt": "" });
    const cases: Array<[string[], string]> = [
      [["init", "--layout", "rails"], "--layout: expected one of plain, flyway"],
      [["init", "--pg-version", "x"], "--pg-version: expected an integer >= 9, got 'x'"],
      [["init", "--runner", "me"], "--runner: expected one of safemigrate, other, got 'me'"],
      [["init", "--migrations", "notes.txt"], "init: --migrations: notes.txt is not a directory"],
      [["init", "missing"], "init: missing: no such directory"],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, { cwd });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr.startsWith(`safemigrate: ${message}`), result.stderr).toBe(true);
      expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    }
    expect(existsSync(join(cwd, "safemigrate.config.json"))).toBe(false);
  });
});

describe("CI set-ups", () => {
  it("run the action on pull requests with the directory and the base branch", () => {
    const yaml = githubActionsSnippet("db/migrations", "safemigrate.config.json");
    expect(yaml).toContain(
      "      - uses: safemigrate/safemigrate@v0\n        with:\n          migrations: db/migrations\n",
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
    expect(yaml).toContain("          base-ref: origin/${{ github.base_ref }}\n");
    expect(yaml).toContain("fetch-depth: 0");
    expect(yaml).not.toContain("\t");
  });

  it("lint as a GitLab Code Quality report and plan as Markdown, with flags lint and plan have", async () => {
    const yaml = gitlabCiSnippet("db/migrations", "safemigrate.config.json");
    expect(yaml).toContain("      codequality: gl-code-quality-report.json\n");
    const commands = [...yaml.matchAll(/^ {4}- npx --yes safemigrate@0 (\w+) (.*)$/gm)];
    expect(commands.map((m) => m[1])).toEqual(["lint", "plan"]);
    expect(commands[0]?.[2]).toContain("--format gitlab > gl-code-quality-report.json");
    expect(commands[1]?.[2]).toContain("--format markdown > safemigrate-plan.md");
    for (const [, name, rest] of commands) {
      const help = (await runCli([name as string, "--help"])).stdout;
      for (const flag of (rest as string).match(/--[\w-]+/g) ?? [])
        expect(help, flag).toContain(`  ${flag} `);
    }
  });

  it("quote a directory that YAML or the shell would read differently", () => {
    expect(githubActionsSnippet("db/my migrations", "safemigrate.config.json")).toContain(
      '          migrations: "db/my migrations"\n',
    );
    expect(gitlabCiSnippet("db/it's", "safemigrate.config.json")).toContain(
      "safemigrate@0 lint 'db/it'\\''s' ",
    );
  });
});
