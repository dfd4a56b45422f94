import { defineRule } from "../rule.js";

// PLACEHOLDER: being written; replaced before this lands.
export default defineRule({
  id: "set-not-null-full-scan",
  category: "rewrite",
  defaultSeverity: "error",
  description: "",
  help: "",
  check: () => [],
});
