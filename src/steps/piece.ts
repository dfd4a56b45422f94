import type { Node } from "libpg-query";
import type { StatementEffects } from "../analysis/model.js";
import type { RuleId } from "../analysis/rules/index.js";
import type { IndexGuard, StepKind } from "./step.js";

/**
 * One statement on its way into a step: the statement as written, or one statement of its safe rewrite.
 * The step builder groups consecutive pieces into steps.
 */
export interface Piece {
  sql: string;
  effects: StatementEffects;
  /**
   * Needs a step of its own: a statement that cannot run in a transaction, or one that must start after a
   * commit and keep its transaction to itself (a VALIDATE after the NOT VALID add).
   */
  alone: boolean;
  kind: StepKind;
  index?: { name: string; schema: string | null };
  guard?: IndexGuard;
  /** The statement as written, when this piece comes from rewriting it. */
  rewrittenFrom: string | null;
  resolves: RuleId[];
}

/** A piece before it is printed and described: the parse tree of the statement to run. */
export interface PieceDraft {
  ast: Node;
  alone: boolean;
  resolves: RuleId[];
}
