import { sanitizeText } from '../events/sanitize.js';

/**
 * Streamed model text with one-line markers between (agent changes, tool calls): a marker must start on a
 * line of its own, so this remembers whether the text stopped mid-line. The text is sanitized on the way.
 */
export class MarkedText {
  #midLine = false;

  /** A chunk of model text, safe to print. */
  text(chunk: string): string {
    const safe = sanitizeText(chunk);
    if (safe) this.#midLine = !safe.endsWith('\n');
    return safe;
  }

  /** What to print before a marker line (or at the end): a newline if the text stopped mid-line. */
  breakLine(): string {
    const close = this.#midLine ? '\n' : '';
    this.#midLine = false;
    return close;
  }
}
