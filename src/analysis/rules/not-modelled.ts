import { defineRule } from "../rule.js";

export default defineRule({
  id: "not-modelled",
  category: "lock",
  defaultSeverity: "note",
  description:
    "A statement whose locks, rewrites or compatibility the model does not prove (a statement kind it does not know, or a known gap).",
  help: "Review the statement by hand (safemigrate plan traces its locks on a shadow database); set the rule to warning or error to make such statements fail a strict pipeline.",
  check(statement) {
    const reason = statement.effects.unmodelled;
    return reason ? [{ message: `not modelled: ${reason}` }] : [];
  },
});
