import { defineRule } from "../rule.js";

// PLACEHOLDER: being written; replaced before this lands.
export default defineRule({
  id: "prefer-timestamptz",
  category: "style",
  defaultSeverity: "warning",
  description: "",
  help: "",
  check: () => [],
});
