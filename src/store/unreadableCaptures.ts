import { RuntapeError } from '../errors.js';

/** A run's captures are stored but cannot be read back (their row was damaged): what reads them whole says so. */
export class UnreadableCapturesError extends RuntapeError {}

/** A run's captures (of one kind, or of several), or undefined when they are unreadable: for readers that show the rest of a run anyway. */
export async function capturesIfReadable<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof UnreadableCapturesError) return undefined;
    throw error;
  }
}
