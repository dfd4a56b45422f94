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
    [
      [
        'safemigrate contract db/migrations --database-url "$DATABASE_URL"',
        "once no running code uses the old shape: drops, renames, NOT NULL",
      ],
      ["safemigrate contract --to 20240115093000", "contract up to this migration only"],
    ],
  );
}
