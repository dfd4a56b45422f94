import type { AnalyzedFile } from "./analyze.js";
import type { AnalyzedStatement, CommandEffects } from "./model.js";

/**
 * Every severity a finding can have, strongest first; reporters map each of them (a new one is added
 * here and nowhere else). `info`: what the runner makes safe (`runner: safemigrate`: the statement runs
 * as its safe rewrite); `note`: what the model could not prove. Neither ever fails a run.
 */
export const SEVERITIES = ["error", "warning", "info", "note"] as const;
export type Severity = (typeof SEVERITIES)[number];
export type Category = "lock" | "rewrite" | "compat" | "tx" | "style" | "syntax";

/** A rule's report about one statement; the range defaults to the whole statement. */
export interface RuleReport {
  message: string;
  /** The safe alternative for this statement (the exact command, names filled in); default the rule's help. */
  help?: string;
  /** String indices into the file's text, to point at a part of the statement. */
  start?: number;
  end?: number;
}

export interface RuleContext {
  pgVersion: number;
  file: AnalyzedFile;
}

/** One lint rule: metadata, documentation pointers and the check. Rules never touch a database. */
export interface Rule {
  id: string;
  category: Category;
  defaultSeverity: Severity;
  /** One line: what the rule finds. */
  description: string;
  /** One line: the safe alternative. */
  help: string;
  /**
   * Ids its findings were reported under before: an ignore directive or a severity setting naming one
   * applies to this rule too (unless the setting names this rule itself), so existing pipelines keep
   * working.
   */
  aliases?: string[];
  check(statement: AnalyzedStatement, context: RuleContext): RuleReport[];
}

/** A rule, its id kept as a literal type so that RuleId lists every id of the catalogue. */
export function defineRule<const Id extends string>(rule: Rule & { id: Id }): Rule & { id: Id } {
  return rule;
}

/** The statement's main relation existed before this migration (it may hold data and serve traffic). */
export function existingTarget(statement: AnalyzedStatement): boolean {
  const target = statement.effects.target;
  return target !== null && statement.effects.locks.some((l) => l.relation === target && l.existing);
}

/** The sub-commands of an ALTER TABLE on a table that existed before this migration; none for anything else. */
export function existingTableCommands(statement: AnalyzedStatement): CommandEffects[] {
  return statement.effects.kind === "AlterTableStmt" && existingTarget(statement)
    ? statement.effects.commands
    : [];
}
