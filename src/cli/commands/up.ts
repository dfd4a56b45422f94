/** `safemigrate up [dir]`: run the expand phases of pending migrations. */
import type { Command } from "commander";
import type { CliIO } from "../io.js";
import { registerRunCommand } from "../run-command.js";

export function register(program: Command, io: CliIO): void {
  registerRunCommand(program, io, "up", "run the expand phases of pending migrations", [
    [
      'safemigrate up db/migrations --database-url "$DATABASE_URL"',
      "run what is pending, with lock timeouts, retries and the safe rewrites",
    ],
    [
      "safemigrate up --lock-timeout 2s --max-retries 10 --log-format json",
      "migrationsDir from the config file; longer lock waits, fewer retries, JSON lines",
    ],
    ["safemigrate up --to 20240115093000", "stop after this migration"],
  ]);
}
