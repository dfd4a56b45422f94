import { defineRule } from "../rule.js";

// PLACEHOLDER: being written; replaced before this lands.
export default defineRule({
  id: "truncate",
  category: "compat",
  defaultSeverity: "error",
  description: "",
  help: "",
  check: () => [],
});
