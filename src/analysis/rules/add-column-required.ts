import { defineRule } from "../rule.js";

// PLACEHOLDER: being written; replaced before this lands.
export default defineRule({
  id: "add-column-required",
  category: "compat",
  defaultSeverity: "error",
  description: "",
  help: "",
  check: () => [],
});
