/**
 * Vitest reporter, after the default one: collects the lines tests print when a part of the suite does not
 * run (SKIP_MARK, e.g. no corpus) and repeats them under the run's summary, so a run that skipped them says
 * so where one looks.
 */
import type { UserConsoleLog } from "vitest";
import type { Reporter } from "vitest/node";
import { SKIP_MARK } from "./corpus.js";

export default class SkipSummary implements Reporter {
  private readonly skipped = new Set<string>();

  onUserConsoleLog(log: UserConsoleLog): void {
    for (const line of log.content.split("\n")) if (line.startsWith(SKIP_MARK)) this.skipped.add(line.trim());
  }

  onTestRunEnd(): void {
    if (this.skipped.size === 0) return;
    const lines = [...this.skipped].sort().map((line) => `  ${line.slice(SKIP_MARK.length).trim()}`);
    process.stdout.write(
      `\n[safemigrate test] ${this.skipped.size} part(s) of the suite did not run:\n${lines.join("\n")}\n`,
    );
  }
}
