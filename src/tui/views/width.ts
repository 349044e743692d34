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

/** The text cut into pieces of at most `width` cells, at most `maxLines` of them (the last one cut with an ellipsis). */
export function wrapWidth(text: string, width: number, maxLines: number): string[] {
  if (width <= 0) return [''];
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const ch of text) {
    const w = unicode.charWidth(ch);
    if (used + w > width) {
      lines.push(line);
      [line, used] = ['', 0];
    }
    line += ch;
    used += w;
  }
  lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = fitWidth(kept[maxLines - 1]! + '…', width).trimEnd();
  return kept;
}
