/** `safemigrate status [dir]`: each migration's state; `--check` exits 3 when `up` has work to do. */
import { type Command, Option } from "commander";
import type { ConfigKey } from "../../config/index.js";
import { migrationStatus, pendingWork, type StatusRow } from "../../run/status.js";
import { addExamples } from "../examples.js";
import type { CliIO } from "../io.js";
import { addConfigOptions, commandConfig, migrationsDir } from "../options.js";
import { databaseUrl } from "../run-command.js";

const KEYS: ConfigKey[] = ["databaseUrl", "historySchema", "layout", "migrationsDir"];

export function register(program: Command, io: CliIO): void {
  const command = program
    .command("status")
    .description("per migration: pending, expanded, complete, drifted or missing-file")
    .argument("[dir]", "migration directory (layout detected)")
    .option("--check", "exit 3 when migrations are pending (readiness gate)")
    .addOption(
      new Option("--format <format>", "output: text or json").choices(["text", "json"]).default("text"),
    );
  addExamples(command, [
    ['safemigrate status db/migrations --database-url "$DATABASE_URL"', "each migration's state"],
    ["safemigrate status --check", "exit 3 while migrations are pending (a deploy's readiness gate)"],
    ["safemigrate status --format json", "the states as JSON"],
  ]);
  addConfigOptions(command, KEYS).action(async (dir: string | undefined) => {
    const config = commandConfig(command, io, KEYS);
    const opts = command.opts() as { check?: boolean; format: "text" | "json" };
    const rows = await migrationStatus({
      dir: migrationsDir(dir, config, "status"),
      ...(config.layout ? { layout: config.layout } : {}),
      databaseUrl: databaseUrl(config),
      historySchema: config.historySchema,
    });
    io.stdout(opts.format === "json" ? `${JSON.stringify({ version: 1, migrations: rows })}\n` : table(rows));
    const pending = pendingWork(rows).length;
    io.exitCode = opts.check && pending > 0 ? 3 : 0;
  });
}

function table(rows: StatusRow[]): string {
  if (rows.length === 0) return "no migrations\n";
  const cells = rows.map((r) => [
    r.version,
    r.name,
    r.state +
      (r.partial ? " (partial)" : "") +
      (r.rollingBack ? " (rolling back)" : "") +
      (r.baseline ? " (baseline)" : "") +
      (r.go ? " (go)" : ""),
    r.appliedAt ?? "-",
    r.durationMs === null ? "-" : `${(r.durationMs / 1000).toFixed(1)}s`,
  ]);
  const header = ["VERSION", "NAME", "STATE", "APPLIED", "DURATION"];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: string[]) =>
    `${c
      .map((v, i) => v.padEnd(widths[i] as number))
      .join("  ")
      .trimEnd()}\n`;
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.state, (counts.get(r.state) ?? 0) + 1);
  const summary = [...counts].map(([s, n]) => `${n} ${s}`).join(", ");
  // A failure's error does not fit a column: one line each under the table.
  const failures = rows
    .filter((r) => r.state === "failed")
    .map((r) => `${r.version} failed at ${r.failedAt ?? "-"}: ${r.error ?? "-"}\n`);
  return `${line(header)}${cells.map(line).join("")}${summary}\n${failures.join("")}`;
}
