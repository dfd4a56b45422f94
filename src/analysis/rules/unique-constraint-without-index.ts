import { defineRule } from "../rule.js";

// PLACEHOLDER: being written; replaced before this lands.
export default defineRule({
  id: "unique-constraint-without-index",
  category: "lock",
  defaultSeverity: "error",
  description: "",
  help: "",
  check: () => [],
});
