import { defineRule } from "../rule.js";

// PLACEHOLDER: being written; replaced before this lands.
export default defineRule({
  id: "column-type-change",
  category: "rewrite",
  defaultSeverity: "error",
  description: "",
  help: "",
  check: () => [],
});
