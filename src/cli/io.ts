/** The CLI's contact with the outside world, injectable so that tests run commands in-process. */
import kleur from "kleur";
import { readAllStdin } from "../migrations/read-file.js";

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Standard output is a terminal. */
  isTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  /** All of standard input, for the path `-`. */
  readStdin(): Promise<string>;
  /** Set by the command that ran; `main` returns it. */
  exitCode: number;
}

let pipesGuarded = false;

/**
 * A reader that goes away early (`safemigrate lint ... | head`) makes the next write fail with EPIPE, which
 * Node raises as an uncaught exception with a stack trace. Nobody is left to read the output: stop writing
 * quietly and keep the exit code.
 */
function guardPipes(): void {
  if (pipesGuarded) return;
  pipesGuarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") process.exitCode = 2;
    });
  }
}

export function processIO(overrides: Partial<CliIO> = {}): CliIO {
  if (!overrides.stdout) guardPipes();
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: Boolean(process.stdout.isTTY),
    env: process.env,
    cwd: process.cwd(),
    readStdin: readAllStdin,
    exitCode: 0,
    ...overrides,
  };
}

/**
 * Colours: forced by FORCE_COLOR (unless `0`/`false`), else off with NO_COLOR (any non-empty value), off
 * when standard output is not a terminal or TERM is `dumb`. FORCE_COLOR wins over NO_COLOR, as in Node.
 */
export function colorEnabled(io: Pick<CliIO, "env" | "isTTY">): boolean {
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force.toLowerCase() !== "false";
  if (io.env.NO_COLOR) return false;
  return io.isTTY && io.env.TERM !== "dumb";
}

export interface Palette {
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const plain = (text: string) => text;
const PLAIN: Palette = { red: plain, yellow: plain, cyan: plain, bold: plain, dim: plain };

export function palette(enabled: boolean): Palette {
  if (!enabled) return PLAIN;
  // kleur decides once, at import, from the process; the decision here is the injected io's.
  kleur.enabled = true;
  return {
    red: (t) => kleur.red(t),
    yellow: (t) => kleur.yellow(t),
    cyan: (t) => kleur.cyan(t),
    bold: (t) => kleur.bold(t),
    dim: (t) => kleur.dim(t),
  };
}
