import { defineRule } from "../rule.js";

// PLACEHOLDER: being written; replaced before this lands.
export default defineRule({
  id: "rename-table",
  category: "compat",
  defaultSeverity: "error",
  description: "",
  help: "",
  check: () => [],
});
