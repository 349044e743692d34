/**
 * Recorded content is untrusted: model output can carry escape sequences that recolour, retitle or
 * rewrite a terminal, and invisible characters that reorder or hide what a reader sees. Everything printed
 * goes through here. Control characters become visible stand-ins (ESC shows as ␛, so an attempted `␛[2J`
 * can still be read), invisible ones their code point (`<U+202E>`), never raw.
 */

/**
 * Invisible characters: format controls (Cf: zero-width spaces and joiners, bidirectional controls, tag
 * characters that can hide a whole text, the soft hyphen, the BOM), line and paragraph separators (Zl, Zp),
 * and variation selectors (a run of them after one character can smuggle data).
 */
const INVISIBLE = String.raw`\p{Cf}|\p{Zl}|\p{Zp}|\p{Variation_Selector}`;

/**
 * Where a joiner or variation selector is part of the picture: a pictograph (with its skin tone and
 * presentation selector) joined to more by ZWJs, as in 👩🏽‍💻 or 🏳️‍🌈, or a character with one presentation
 * selector, as in 1️⃣. Matched first, so these are kept whole.
 */
const PICTOGRAPH = String.raw`\p{Extended_Pictographic}\p{Emoji_Modifier}?[\uFE0E\uFE0F]?`;
const EMOJI_SEQUENCE = String.raw`${PICTOGRAPH}(?:\u200D${PICTOGRAPH})*|\p{Emoji}[\uFE0E\uFE0F]`;

/** C0 controls but tab and newline, DEL, C1 controls, lone surrogates (in `u` mode a paired one never matches). */
const CONTROL = String.raw`[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|[\ud800-\udfff]`;

const UNSAFE = new RegExp(`(${EMOJI_SEQUENCE})|${CONTROL}|${INVISIBLE}`, 'gu');

/** The same for JSON, where a control (escaped by JSON.stringify) is never raw but the others can be. */
const UNSAFE_IN_JSON = new RegExp(`(${EMOJI_SEQUENCE})|[\u007f-\u009f]|${INVISIBLE}`, 'gu');

function standIn(ch: string, emoji: string | undefined): string {
  if (emoji !== undefined) return emoji;
  const code = ch.codePointAt(0)!;
  if (code < 0x20) return String.fromCharCode(0x2400 + code); // ␀ … ␟ (␛ for ESC)
  if (code === 0x7f) return '␡';
  if (code >= 0xd800 && code <= 0xdfff) return '\ufffd'; // a lone surrogate is no character at all
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
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

/** `\uXXXX` for each UTF-16 unit: a character beyond U+FFFF becomes its escaped surrogate pair. */
function jsonEscape(ch: string, emoji: string | undefined): string {
  if (emoji !== undefined) return emoji;
  return Array.from({ length: ch.length }, (_, i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');
}

/**
 * JSON that is safe to print: JSON.stringify escapes C0 controls but leaves DEL, the C1 controls (U+009B is
 * an 8-bit CSI to some terminals) and the invisible characters above raw. Those only occur inside strings,
 * where a \\u escape means the same to any JSON reader.
 */
export function terminalSafeJson(json: string): string {
  return json.replace(UNSAFE_IN_JSON, jsonEscape);
}
