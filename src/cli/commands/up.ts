/** `safemigrate up [dir]`: run the expand phases of pending migrations. */
import type { Command } from "commander";
import type { CliIO } from "../io.js";
import { registerRunCommand } from "../run-command.js";

export function register(program: Command, io: CliIO): void {
  registerRunCommand(program, io, "up", "run the expand phases of pending migrations");
}
