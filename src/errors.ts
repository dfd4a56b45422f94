/**
 * An error caused by the user's input (bad flag, path, config or URL): printed as one line, exit 2.
 * Everything else that reaches the top level is an internal error.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * The command cannot do what was asked, for a reason in the migrations or their history that it states in
 * one line (exit 1): a contract before its expand, a rollback of a contracted migration, ...
 */
export class Refused extends Error {
  override readonly name: string = "Refused";
}

/** The one-line text of any thrown value, for messages that must never carry a stack trace. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
