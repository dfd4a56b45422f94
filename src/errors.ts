/**
 * An error caused by the user's input (bad flag, path, config or URL): printed as one line, exit 2.
 * Everything else that reaches the top level is an internal error.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** The one-line text of any thrown value, for messages that must never carry a stack trace. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
