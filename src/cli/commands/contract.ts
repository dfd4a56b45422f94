/** `safemigrate contract [dir]`: run the contract phases of migrations whose expand phase is done. */
import type { Command } from "commander";
import type { CliIO } from "../io.js";
import { registerRunCommand } from "../run-command.js";

export function register(program: Command, io: CliIO): void {
  registerRunCommand(
    program,
    io,
    "contract",
    "run the contract phases of migrations whose expand phase is done",
  );
}
