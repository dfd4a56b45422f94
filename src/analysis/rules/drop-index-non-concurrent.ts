import { defineRule } from "../rule.js";

// PLACEHOLDER: being written; replaced before this lands.
export default defineRule({
  id: "drop-index-non-concurrent",
  category: "lock",
  defaultSeverity: "error",
  description: "",
  help: "",
  check: () => [],
});
