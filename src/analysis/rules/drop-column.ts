import { defineRule } from "../rule.js";

// PLACEHOLDER: being written; replaced before this lands.
export default defineRule({
  id: "drop-column",
  category: "compat",
  defaultSeverity: "error",
  description: "",
  help: "",
  check: () => [],
});
