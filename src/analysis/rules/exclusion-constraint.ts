import { defineRule } from "../rule.js";

// PLACEHOLDER: being written; replaced before this lands.
export default defineRule({
  id: "exclusion-constraint",
  category: "lock",
  defaultSeverity: "warning",
  description: "",
  help: "",
  check: () => [],
});
