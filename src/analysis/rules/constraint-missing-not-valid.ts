import { defineRule } from "../rule.js";

// PLACEHOLDER: being written; replaced before this lands.
export default defineRule({
  id: "constraint-missing-not-valid",
  category: "rewrite",
  defaultSeverity: "error",
  description: "",
  help: "",
  check: () => [],
});
