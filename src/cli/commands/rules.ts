/** `safemigrate rules`: the rule catalogue. */
import type { Command } from "commander";
import { RULES } from "../../analysis/rules/index.js";
import { UsageError } from "../../errors.js";
import { addExamples } from "../examples.js";
import type { CliIO } from "../io.js";
import { ruleDocsUrl } from "../package.js";

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] as number)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function register(program: Command, io: CliIO): void {
  const command = program
    .command("rules")
    .description("list every rule: id, default severity, category, description")
    .option("--format <format>", "text or json", "text");
  addExamples(command, [
    ["safemigrate rules", "every rule with its default severity"],
    ["safemigrate rules --format json", "the catalogue as JSON, with each rule's documentation link"],
  ]);
  command.action((options: { format: string }) => {
    if (options.format === "json") {
      const rules = RULES.map((r) => ({
        id: r.id,
        severity: r.defaultSeverity,
        category: r.category,
        description: r.description,
        help: r.help,
        docs: ruleDocsUrl(r.id),
        // Ids its findings were reported under before; ignores and settings naming them still apply.
        aliases: r.aliases ?? [],
      }));
      io.stdout(`${JSON.stringify({ version: 1, rules }, null, 2)}\n`);
      return;
    }
    if (options.format !== "text") {
      throw new UsageError(`rules: --format: expected text or json, got '${options.format}'`);
    }
    const rows = [["RULE", "SEVERITY", "CATEGORY", "DESCRIPTION"]];
    for (const r of RULES) rows.push([r.id, r.defaultSeverity, r.category, r.description]);
    io.stdout(`${table(rows)}\n`);
  });
}
