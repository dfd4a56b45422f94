import { defineRule } from "../rule.js";

// PLACEHOLDER: being written; replaced before this lands.
export default defineRule({
  id: "reindex-non-concurrent",
  category: "lock",
  defaultSeverity: "error",
  description: "",
  help: "",
  check: () => [],
});
