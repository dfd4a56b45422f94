import { defineRule } from "../rule.js";

// PLACEHOLDER: being written; replaced before this lands.
export default defineRule({
  id: "transaction-nesting",
  category: "tx",
  defaultSeverity: "error",
  description: "",
  help: "",
  check: () => [],
});
