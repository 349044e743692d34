import { RuntapeError } from '../errors.js';

/**
 * The longest line `readLines` takes by default. Far above any event runtape writes (a 10 MB tool output
 * is one 10 MB line), and far below V8's longest string (about 512 MB), which a line must become.
 */
export const DEFAULT_MAX_LINE_BYTES = 256 * 1024 * 1024;

/** Names the environment variable that changes the limit, so the message says how to raise it. */
export const MAX_LINE_BYTES_ENV = 'RUNTAPE_MAX_LINE_BYTES';

export class LineTooLongError extends RuntapeError {
  constructor(
    source: string,
    readonly lineNumber: number,
    readonly maxBytes: number,
  ) {
    super(`${source}:${lineNumber}: line longer than ${maxBytes} bytes (${MAX_LINE_BYTES_ENV} raises the limit)`);
  }
}

/** The limit from RUNTAPE_MAX_LINE_BYTES, or the default. */
export function maxLineBytesFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[MAX_LINE_BYTES_ENV];
  if (text === undefined || text === '') return DEFAULT_MAX_LINE_BYTES;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) throw new RuntapeError(`${MAX_LINE_BYTES_ENV} must be a positive whole number of bytes, not "${text}"`);
  return value;
}

/**
 * The lines of a byte stream (split at \n, a trailing \r dropped, decoded as UTF-8). A line longer than
 * `maxBytes` throws as soon as that many bytes of it have arrived: a line is never held whole before it
 * is measured, so an endless line costs no more memory than the limit.
 */
export async function* readLines(input: AsyncIterable<Buffer>, options: { source: string; maxBytes: number }): AsyncGenerator<string> {
  let parts: Buffer[] = [];
  let length = 0;
  let lineNumber = 1;
  for await (const chunk of input) {
    for (let start = 0; start < chunk.length; ) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      length += end - start;
      if (length > options.maxBytes) throw new LineTooLongError(options.source, lineNumber, options.maxBytes);
      parts.push(chunk.subarray(start, end));
      if (newline === -1) break;
      yield decodeLine(parts, length);
      parts = [];
      length = 0;
      lineNumber++;
      start = newline + 1;
    }
  }
  if (length > 0) yield decodeLine(parts, length);
}

function decodeLine(parts: Buffer[], length: number): string {
  const line = Buffer.concat(parts, length).toString('utf8');
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
