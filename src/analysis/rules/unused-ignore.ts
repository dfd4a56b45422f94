import { defineRule } from "../rule.js";

/** Reported by the lint engine itself, which alone knows which directives silenced a finding. */
export default defineRule({
  id: "unused-ignore",
  category: "syntax",
  defaultSeverity: "warning",
  description: "An ignore directive that names an unknown rule or silences nothing, or an unknown directive.",
  help: "Remove the directive, or correct the rule name (`safemigrate rules` lists them).",
  check: () => [],
});
