/** `--help` of the program and of every command ends with examples that use real flags; `--version`; typos. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { ROOT } from "./support.js";

/** The command names the program's help lists. */
async function commandNames(): Promise<string[]> {
  const { stdout } = await runCli(["--help"]);
  const section = stdout.split("\nCommands:\n")[1] ?? "";
  return [...section.matchAll(/^ {2}([a-z]+) /gm)]
    .map((m) => m[1] as string)
    .filter((name) => name !== "help");
}

/** The long flags of a help page's Options section (`--no-rewrite`, `--format`, ...). */
function flagsOf(help: string): Set<string> {
  const options = help.split("\nOptions:\n")[1]?.split("\n\n")[0] ?? "";
  return new Set([...options.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1] as string));
}

/** What follows `Examples:`: the `$ ` command lines, and whether anything else than examples follows. */
function examplesOf(help: string): { runs: string[]; last: boolean } {
  const [, tail = ""] = help.split("\nExamples:\n");
  const lines = tail.trimEnd().split("\n");
  return {
    runs: lines.filter((l) => l.startsWith("  $ ")).map((l) => l.slice(4)),
    last: lines.every((l) => l.startsWith("  # ") || l.startsWith("  $ ")),
  };
}

/** The words of a command line, quotes removed; `<` and what follows are the shell's. */
function words(run: string): string[] {
  const parts = [...run.matchAll(/"[^"]*"|'[^']*'|\S+/g)].map((m) => m[0]);
  const redirect = parts.indexOf("<");
  return redirect === -1 ? parts : parts.slice(0, redirect);
}

describe("--help", () => {
  it("lists init and ends with examples", async () => {
    const { code, stdout } = await runCli(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("init [options] [dir]");
    const { runs, last } = examplesOf(stdout);
    expect(last).toBe(true);
    const names = await commandNames();
    for (const run of runs) expect(names).toContain(words(run)[1]);
  });

  it("of every command ends with examples of that command that use only its flags", async () => {
    const names = await commandNames();
    expect(names).toEqual(expect.arrayContaining(["init", "lint", "plan", "up", "contract", "rollback"]));
    const problems: string[] = [];
    for (const name of names) {
      const { code, stdout } = await runCli([name, "--help"]);
      expect(code).toBe(0);
      const flags = flagsOf(stdout);
      expect(flags.size, name).toBeGreaterThan(0);
      const { runs, last } = examplesOf(stdout);
      if (runs.length === 0) problems.push(`${name}: no examples`);
      if (!last) problems.push(`${name}: Examples is not the last section`);
      for (const run of runs) {
        const [program, command, ...rest] = words(run);
        if (program !== "safemigrate" || command !== name)
          problems.push(`${name}: '${run}' runs another command`);
        for (const word of rest.filter((w) => w.startsWith("--"))) {
          const flag = word.split("=")[0] as string;
          if (!flags.has(flag)) problems.push(`${name}: '${run}': ${flag} is not an option of ${name}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("help <command> is <command> --help", async () => {
    const flag = await runCli(["plan", "--help"]);
    expect(await runCli(["help", "plan"])).toEqual(flag);
  });
});

describe("--version", () => {
  it("prints the package version", async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    for (const flag of ["--version", "-V"]) {
      expect(await runCli([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
    }
  });
});

describe("a mistyped command or option", () => {
  it("is one line naming the closest, exit 2", async () => {
    expect(await runCli(["lnt"])).toEqual({
      code: 2,
      stdout: "",
      stderr: "safemigrate: unknown command 'lnt'; did you mean 'lint'?\n",
    });
    expect(await runCli(["help", "stauts"])).toEqual({
      code: 2,
      stdout: "",
      stderr: "safemigrate: unknown command 'stauts'; did you mean 'stats' or 'status'?\n",
    });
    expect(await runCli(["lint", "--formt", "json"])).toMatchObject({
      code: 2,
      stderr: "safemigrate: unknown option '--formt'; did you mean '--format'?\n",
    });
  });

  it("names no command when none is close", async () => {
    expect(await runCli(["deploy"])).toEqual({
      code: 2,
      stdout: "",
      stderr: "safemigrate: unknown command 'deploy'\n",
    });
  });
});
