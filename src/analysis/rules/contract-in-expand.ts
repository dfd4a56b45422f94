import { defineRule } from "../rule.js";

// PLACEHOLDER: being written; replaced before this lands.
export default defineRule({
  id: "contract-in-expand",
  category: "compat",
  defaultSeverity: "error",
  description: "",
  help: "",
  check: () => [],
});
