import { blocksTraffic } from "../locks.js";
import type { AnalyzedStatement } from "../model.js";
import { defineRule } from "../rule.js";
import { aLock, blockedTraffic } from "./tx-helpers.js";

const blockingLock = (statement: AnalyzedStatement) =>
  statement.effects.locks.find((l) => l.existing && blocksTraffic(l.mode));

export default defineRule({
  id: "missing-lock-timeout",
  category: "tx",
  defaultSeverity: "warning",
  description:
    "A statement takes a lock that blocks traffic with no lock_timeout set earlier in the file (matters when another tool runs the file).",
  help: "Put SET lock_timeout = '1s' at the top of the file (safemigrate plan/up set it themselves).",
  check(statement, context) {
    const lock = blockingLock(statement);
    if (!lock) return [];
    const statements = context.file.statements;
    // Reported once per file, on the first statement that needs it.
    for (const earlier of statements.slice(0, statements.indexOf(statement))) {
      if (earlier.effects.setsTimeout === "lock_timeout" || blockingLock(earlier)) return [];
    }
    return [
      {
        message: `${statement.effects.action} takes ${aLock(lock.mode)} on ${lock.relation} with no lock_timeout set earlier in the file, so while it waits for that lock the ${blockedTraffic(lock.mode)} of ${lock.relation} queue behind it (safemigrate plan/up set one themselves; other tools do not)`,
      },
    ];
  },
});
