import { defineRule } from "../rule.js";

// PLACEHOLDER: being written; replaced before this lands.
export default defineRule({
  id: "missing-lock-timeout",
  category: "tx",
  defaultSeverity: "warning",
  description: "",
  help: "",
  check: () => [],
});
