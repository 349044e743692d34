import blessed from 'blessed';
import type { Line, SpanStyle } from '../views/styled.js';

// blessed exports its tag escaper, but its type definitions do not declare it.
const escapeTags = (blessed as unknown as { escape(text: string): string }).escape;

/**
 * A line as blessed markup for a box with `tags: true`. Span text is recorded content: every `{` and `}`
 * in it is escaped, so a payload saying `{red-fg}` prints those characters instead of turning red.
 * (Control characters never get here: the view models sanitize first.)
 */
export function markup(line: Line): string {
  return line.map((s) => styled(escapeTags(s.text), s.style)).join('');
}

export function markupLines(lines: readonly Line[]): string {
  return lines.map(markup).join('\n');
}

function styled(text: string, style: SpanStyle | undefined): string {
  if (!style || text === '') return text;
  const tags: string[] = [];
  if (style.fg) tags.push(`${style.fg}-fg`);
  if (style.bg) tags.push(`${style.bg}-bg`);
  if (style.bold) tags.push('bold');
  if (style.inverse) tags.push('inverse');
  return tags.map((t) => `{${t}}`).join('') + text + tags.reverse().map((t) => `{/${t}}`).join('');
}
