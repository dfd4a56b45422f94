import { defineRule } from "../rule.js";

// PLACEHOLDER: being written; replaced before this lands.
export default defineRule({
  id: "attach-partition-scan",
  category: "rewrite",
  defaultSeverity: "warning",
  description: "",
  help: "",
  check: () => [],
});
