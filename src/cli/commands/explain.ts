/** `safemigrate explain <rule>`: a rule's documentation page. */
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import type { Rule } from "../../analysis/rule.js";
import { RULES, ruleById } from "../../analysis/rules/index.js";
import { didYouMean } from "../../config/index.js";
import { UsageError } from "../../errors.js";
import { addExamples } from "../examples.js";
import type { CliIO } from "../io.js";
import { ruleDocsPath, ruleDocsUrl } from "../package.js";

/** What the catalogue says, for a rule whose page is not written (or not shipped) yet. */
function summary(rule: Rule): string {
  return [
    `# ${rule.id}`,
    "",
    `severity: ${rule.defaultSeverity}, category: ${rule.category}`,
    "",
    rule.description,
    "",
    `Safe alternative: ${rule.help}`,
    "",
    `More: ${ruleDocsUrl(rule.id)}`,
    "",
  ].join("\n");
}

export function register(program: Command, io: CliIO): void {
  const command = program
    .command("explain")
    .description("show a rule's documentation: why it matters, unsafe and safe examples")
    .argument("<rule>", "rule id, e.g. create-index-non-concurrent");
  addExamples(command, [
    ["safemigrate explain create-index-non-concurrent", "why a rule matters, with unsafe and safe SQL"],
  ]);
  command.action(async (id: string) => {
    const rule = ruleById(id);
    if (!rule) {
      const hint =
        didYouMean(
          id,
          RULES.map((r) => r.id),
        ) || " (see safemigrate rules)";
      throw new UsageError(`unknown rule '${id}'${hint}`);
    }
    const page = await readFile(ruleDocsPath(rule.id), "utf8").catch(() => summary(rule));
    io.stdout(page.endsWith("\n") ? page : `${page}\n`);
  });
}
