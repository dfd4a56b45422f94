/** The "Examples:" section that ends every command's `--help`. */
import type { Command } from "commander";

/** One command line a user can copy (`safemigrate ...`), and what it does. */
export type Example = [run: string, what: string];

export function addExamples(command: Command, examples: Example[]): Command {
  const lines = examples.flatMap(([run, what]) => [`  # ${what}`, `  $ ${run}`]);
  return command.addHelpText("after", `\nExamples:\n${lines.join("\n")}`);
}
