import { defineRule } from "../rule.js";

// PLACEHOLDER: being written; replaced before this lands.
export default defineRule({
  id: "validate-in-same-transaction",
  category: "rewrite",
  defaultSeverity: "error",
  description: "",
  help: "",
  check: () => [],
});
