/** `safemigrate rollback [dir]`: undo the expand of applied migrations not yet contracted (docs/rollback.md). */
import type { Command } from "commander";
import type { CliIO } from "../io.js";
import { registerRunCommand } from "../run-command.js";

export function register(program: Command, io: CliIO): void {
  registerRunCommand(
    program,
    io,
    "rollback",
    "undo the expand of the newest applied migration (--to: of every one after a version) with its down part",
    [
      [
        'safemigrate rollback db/migrations --database-url "$DATABASE_URL"',
        "undo the newest applied migration (its expand phase) with its down part",
      ],
      ["safemigrate rollback --to 20240115093000", "undo every applied migration after this one"],
    ],
  );
}
