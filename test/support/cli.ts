/** The CLI run in-process with captured output, shared by the CLI, runner and plan tests. */
import { main } from "../../src/cli/main.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  stdin?: string;
  isTTY?: boolean;
}

/**
 * Runs the CLI in-process. The working directory is switched for the call (tests of one file run one at
 * a time in their own process), so that paths show as a user would see them.
 */
export async function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const cwd = options.cwd ?? process.cwd();
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(["node", "safemigrate", ...args], {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
      isTTY: options.isTTY ?? false,
      env: options.env ?? {},
      cwd,
      readStdin: async () => options.stdin ?? "",
    });
    return { code, stdout, stderr };
  } finally {
    process.chdir(previous);
  }
}
