/** Statements about the session and its transaction: BEGIN / COMMIT / SAVEPOINT, SET, DO. */
import type { DiscardStmt, DoStmt, TransactionStmt, VariableSetStmt } from "libpg-query";
import { plpgsqlControlsTransaction } from "../../sql/plpgsql.js";
import { doBody } from "../do-blocks.js";
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

/**
 * DISCARD ALL cannot run inside a transaction block (Postgres: "DISCARD ALL cannot run inside a
 * transaction block"), so it runs on its own; DISCARD PLANS / SEQUENCES / TEMP can.
 */
export function describeDiscard(stmt: DiscardStmt): StatementEffects {
  const target = (stmt.target ?? "").replace(/^DISCARD_/, "");
  const effects = emptyEffects("DiscardStmt", `DISCARD ${target}`);
  effects.transactional = target !== "ALL";
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
  const { language, body } = doBody(stmt);
  if (language === "plpgsql" && body !== undefined && plpgsqlControlsTransaction(body) === true)
    effects.transactional = false;
  return effects;
}
