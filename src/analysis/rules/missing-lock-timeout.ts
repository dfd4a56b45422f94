import type { AnalyzedFile } from "../analyze.js";
import { blocksTraffic } from "../locks.js";
import type { AnalyzedStatement, RelationLock } from "../model.js";
import { defineRule } from "../rule.js";
import { aLock, blockedTraffic } from "./statement-facts.js";

const blockingLock = (statement: AnalyzedStatement) =>
  statement.effects.locks.find((l) => l.existing && blocksTraffic(l.mode));

const firstByFile = new WeakMap<AnalyzedFile, AnalyzedStatement | null>();

/** The file's first statement that takes a blocking lock before any SET lock_timeout, if any. */
function firstUnprotected(file: AnalyzedFile): AnalyzedStatement | null {
  if (!firstByFile.has(file)) {
    const first = file.statements.find((s) => s.effects.setsTimeout === "lock_timeout" || blockingLock(s));
    firstByFile.set(file, first && blockingLock(first) ? first : null);
  }
  return firstByFile.get(file) ?? null;
}

export default defineRule({
  id: "missing-lock-timeout",
  category: "tx",
  defaultSeverity: "warning",
  description:
    "A statement takes a lock that blocks traffic with no lock_timeout set earlier in the file (matters when another tool runs the file).",
  help: "Put SET lock_timeout = '1s' at the top of the file (safemigrate plan/up set it themselves).",
  check(statement, context) {
    // Reported once per file, on the first statement that needs it.
    if (firstUnprotected(context.file) !== statement) return [];
    const lock = blockingLock(statement) as RelationLock;
    return [
      {
        message: `${statement.effects.action} takes ${aLock(lock.mode)} on ${lock.relation} with no lock_timeout set earlier in the file, so while it waits for that lock the ${blockedTraffic(lock.mode)} of ${lock.relation} queue behind it (safemigrate plan/up set one themselves; other tools do not)`,
      },
    ];
  },
});
