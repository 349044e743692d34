import { createRequire } from 'node:module';

// blessed's own table of character widths: columns then line up exactly as blessed draws them
// (East Asian wide characters take two cells, combining marks none).
const unicode = createRequire(import.meta.url)('blessed/lib/unicode.js') as { charWidth(text: string, index?: number): number };

/** Terminal cells one line of (sanitized) text takes. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += unicode.charWidth(ch);
  return width;
}

/** Exactly `width` cells: cut with an ellipsis when longer, padded with spaces when shorter. */
export function fitWidth(text: string, width: number): string {
  if (width <= 0) return '';
  let used = 0;
  let out = '';
  const full = displayWidth(text) <= width;
  for (const ch of text) {
    const w = unicode.charWidth(ch);
    if (used + w > width - (full ? 0 : 1)) break;
    out += ch;
    used += w;
  }
  if (!full) {
    out += '…';
    used += 1;
  }
  return out + ' '.repeat(Math.max(0, width - used));
}
