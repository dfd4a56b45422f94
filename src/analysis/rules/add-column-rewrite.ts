import { defineRule } from "../rule.js";

// PLACEHOLDER: being written; replaced before this lands.
export default defineRule({
  id: "add-column-rewrite",
  category: "rewrite",
  defaultSeverity: "error",
  description: "",
  help: "",
  check: () => [],
});
