/** Statements about the session and its transaction: BEGIN / COMMIT / SAVEPOINT, SET, DO. */
import type { DefElem, DoStmt, TransactionStmt, VariableSetStmt } from "libpg-query";
import { nodeBody } from "../../sql/ast.js";
import { plpgsqlControlsTransaction } from "../../sql/plpgsql.js";
import type { StatementEffects, TransactionControl } from "../model.js";
import { emptyEffects } from "./base.js";

const TRANSACTION_CONTROL: Record<string, TransactionControl> = {
  TRANS_STMT_BEGIN: "begin",
  TRANS_STMT_START: "begin",
  TRANS_STMT_COMMIT: "commit",
  TRANS_STMT_ROLLBACK: "rollback",
  TRANS_STMT_SAVEPOINT: "savepoint",
  TRANS_STMT_RELEASE: "savepoint",
  TRANS_STMT_ROLLBACK_TO: "savepoint",
};

export function describeTransaction(stmt: TransactionStmt): StatementEffects {
  const control = TRANSACTION_CONTROL[stmt.kind ?? ""] ?? "other";
  const effects = emptyEffects("TransactionStmt", control.toUpperCase());
  effects.transactionControl = control;
  return effects;
}

export function describeSet(stmt: VariableSetStmt): StatementEffects {
  const name = (stmt.name ?? "").toLowerCase();
  const effects = emptyEffects("VariableSetStmt", `SET ${name}`);
  if (name === "lock_timeout" || name === "statement_timeout") effects.setsTimeout = name;
  return effects;
}

/**
 * DO: a PL/pgSQL block that commits or rolls back (batched backfills do) cannot run inside a transaction
 * block, so it runs on its own, as CREATE INDEX CONCURRENTLY does. Other languages are not inspected.
 */
export function describeDo(stmt: DoStmt): StatementEffects {
  const effects = emptyEffects("DoStmt", "DO");
  const option = (name: string) => {
    const found = stmt.args?.map((a) => nodeBody<DefElem>(a, "DefElem")).find((d) => d?.defname === name);
    return found?.arg ? nodeBody<{ sval?: string }>(found.arg, "String")?.sval : undefined;
  };
  const language = (option("language") ?? "plpgsql").toLowerCase();
  const body = option("as");
  if (language === "plpgsql" && body !== undefined && plpgsqlControlsTransaction(body) === true)
    effects.transactional = false;
  return effects;
}
