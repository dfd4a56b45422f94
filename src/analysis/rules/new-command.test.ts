/**
 * The help of the rules whose way out is a recipe names the exact `safemigrate new` command: run as given
 * (shell words split), it writes the safe migration.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../../test/support/cli.js";
import { lint } from "../../index.js";

const SETUP = `CREATE SCHEMA "App";
CREATE TABLE "App"."My T" (id bigint PRIMARY KEY, "Col" int, age int, note text);
`;

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))));

/** The command in backquotes in `help`, split into words as a POSIX shell splits them. */
function commandOf(help: string): string[] {
  const command = /`(safemigrate new [^`]*)`/.exec(help)?.[1];
  if (!command) throw new Error(`no command in: ${help}`);
  const words: string[] = [];
  for (const match of command.matchAll(/(?:'[^']*'|\\'|[^\s'\\]+)+/g)) {
    words.push(match[0].replace(/'([^']*)'|\\(')/g, (_, quoted, escaped) => quoted ?? escaped));
  }
  return words;
}

async function helpFor(statement: string): Promise<{ dir: string; help: string; rule: string }> {
  const dir = await mkdtemp(join(tmpdir(), "sm-help-"));
  roots.push(dir);
  await writeFile(join(dir, "001_setup.sql"), SETUP);
  await writeFile(join(dir, "002_change.sql"), statement);
  const report = await lint([dir]);
  const finding = report.findings.find(
    (f) => f.file.endsWith("002_change.sql") && f.help.includes("safemigrate new"),
  );
  if (!finding) throw new Error(`no finding with a command for: ${statement}`);
  await rm(join(dir, "002_change.sql"));
  return { dir, help: finding.help, rule: finding.rule };
}

describe("help that names the recipe", () => {
  it.each([
    [
      'ALTER TABLE "App"."My T" RENAME COLUMN "Col" TO "it\'s";',
      "rename-column",
      ["--rename-column", '"App"."My T"."Col"', '"it\'s"'],
    ],
    [
      'ALTER TABLE "App"."My T" RENAME TO "Other T";',
      "rename-table",
      ["--rename-table", '"App"."My T"', '"Other T"'],
    ],
    [
      'ALTER TABLE "App"."My T" ALTER COLUMN age TYPE text USING age::text || \'y\';',
      "column-type-change",
      ["--change-type", '"App"."My T".age', "text", "--using", "age::text || 'y'"],
    ],
    [
      'ALTER TABLE "App"."My T" ADD COLUMN token uuid DEFAULT gen_random_uuid() NOT NULL;',
      "add-column-rewrite",
      ["--add-column", '"App"."My T".token', "uuid", "--default", "gen_random_uuid()", "--not-null"],
    ],
  ])("%s: %s help runs as given", async (statement, rule, args) => {
    const found = await helpFor(statement);
    expect(found.rule).toBe(rule);
    const words = commandOf(found.help);
    expect(words.slice(3)).toEqual(args);
    const result = await runCli([...words.slice(1, 3), found.dir, ...words.slice(3)], { cwd: found.dir });
    expect(result, result.stderr).toMatchObject({ code: 0, stderr: "" });
    const written = await lint([found.dir]);
    expect(written.findings.filter((f) => f.severity === "error")).toEqual([]);
  });

  it("add-column-required names the recipe with a placeholder for the value", async () => {
    const found = await helpFor('ALTER TABLE "App"."My T" ADD COLUMN "Req" varchar(20) NOT NULL;');
    expect(commandOf(found.help).slice(1)).toEqual([
      "new",
      "add_App_My_T_Req",
      "--add-column",
      '"App"."My T"."Req"',
      "varchar(20)",
      "--default",
      "<value>",
      "--not-null",
    ]);
  });

  it("unbatched-data-change names the backfill directive for the UPDATE", async () => {
    const found = await helpFor(`UPDATE "App"."My T" SET note = 'it''s', "Col" = age + 1;`);
    expect(found.help).toContain(
      `-- safemigrate:backfill table="\\"App\\".\\"My T\\"" set="note = 'it''s', \\"Col\\" = age + 1"`,
    );
    expect(found.help).toContain("`safemigrate new backfill_App_My_T`");
  });
});
