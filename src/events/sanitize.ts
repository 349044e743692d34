/**
 * Recorded content is untrusted: model output can carry escape sequences that recolour, retitle or
 * rewrite a terminal. Everything printed goes through here. Control characters become visible
 * stand-ins (ESC shows as ␛, so an attempted `␛[2J` can still be read), never raw bytes.
 */
// C0 controls but tab and newline, DEL, C1 controls, and bidirectional overrides that reorder what is shown.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function standIn(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code); // ␀ … ␟ (␛ for ESC)
  if (code === 0x7f) return '␡';
  if (code >= 0xd800 && code <= 0xdfff) return '\ufffd'; // a lone surrogate is no character at all
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Safe for a terminal; keeps newlines and tabs. */
export function sanitizeText(text: string): string {
  return text.replace(UNSAFE, standIn);
}

/** Safe for a terminal and kept on one line: newlines show as ⏎, tabs as a space. */
export function sanitizeLine(text: string): string {
  return sanitizeText(text).replace(/\r?\n/g, '⏎').replace(/\t/g, ' ');
}

/** One line, at most `max` characters (an ellipsis marks the cut). */
export function truncateLine(text: string, max: number): string {
  const line = sanitizeLine(text);
  return line.length <= max ? line : line.slice(0, Math.max(0, max - 1)) + '…';
}

/**
 * JSON that is safe to print: JSON.stringify escapes C0 controls but leaves DEL, the C1 controls (U+009B is
 * an 8-bit CSI to some terminals), bidirectional overrides and line separators raw. Those only occur inside
 * strings, where a \\u escape means the same to any JSON reader.
 */
export function terminalSafeJson(json: string): string {
  return json.replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
