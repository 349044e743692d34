/**
 * An error meant for a person: its message is one complete line, shown as it is, without a stack trace.
 * Anything else that escapes to the CLI is a bug and is reported as such.
 */
export class RuntapeError extends Error {
  override name = 'RuntapeError';
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
