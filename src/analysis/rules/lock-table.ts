import { defineRule } from "../rule.js";

// PLACEHOLDER: being written; replaced before this lands.
export default defineRule({
  id: "lock-table",
  category: "lock",
  defaultSeverity: "error",
  description: "",
  help: "",
  check: () => [],
});
