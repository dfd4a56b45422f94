/** The CLI's contact with the outside world, injectable so that tests run commands in-process. */
import kleur from "kleur";

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

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function processIO(overrides: Partial<CliIO> = {}): CliIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: Boolean(process.stdout.isTTY),
    env: process.env,
    cwd: process.cwd(),
    readStdin: readProcessStdin,
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
