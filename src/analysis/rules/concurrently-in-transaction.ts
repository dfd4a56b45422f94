import { defineRule } from "../rule.js";

// PLACEHOLDER: being written; replaced before this lands.
export default defineRule({
  id: "concurrently-in-transaction",
  category: "tx",
  defaultSeverity: "error",
  description: "",
  help: "",
  check: () => [],
});
