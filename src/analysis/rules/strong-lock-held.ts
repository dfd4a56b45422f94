import { defineRule } from "../rule.js";

// PLACEHOLDER: being written; replaced before this lands.
export default defineRule({
  id: "strong-lock-held",
  category: "lock",
  defaultSeverity: "warning",
  description: "",
  help: "",
  check: () => [],
});
