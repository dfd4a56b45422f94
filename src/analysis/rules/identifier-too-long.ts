import { defineRule } from "../rule.js";

// PLACEHOLDER: being written; replaced before this lands.
export default defineRule({
  id: "identifier-too-long",
  category: "syntax",
  defaultSeverity: "error",
  description: "",
  help: "",
  check: () => [],
});
