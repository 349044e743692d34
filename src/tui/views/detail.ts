import { formatOffset } from '../../display/format.js';
import { sanitizeLine, sanitizeText } from '../../events/sanitize.js';
import type { StoredEvent } from '../../store/types.js';
import { span, type Line } from './styled.js';

/** Past this, a payload is cut (with a note): drawing megabytes of JSON would stall every keypress. */
export const DETAIL_MAX_CHARS = 200_000;

export interface Detail {
  title: string;
  lines: Line[];
  /** The first line with a search match, to scroll to. */
  matchLine: number | null;
}

/** The detail pane for an event: its full payload as indented JSON, sanitized, search matches marked. */
export function eventDetail(event: StoredEvent | undefined, search?: string): Detail {
  if (!event) return { title: 'Event', lines: [[span('(start of the run: nothing played yet)', { fg: 'gray' })]], matchLine: null };
  const title = `#${event.seq}  ${formatOffset(event.tUs)}  ${event.level}  ${sanitizeLine(event.name)}  ${sanitizeLine(event.agent ?? '—')}`;
  let text = prettyJson(event.payload);
  let note: string | undefined;
  if (text.length > DETAIL_MAX_CHARS) {
    note = `… ${text.length - DETAIL_MAX_CHARS} more characters (runtape export shows the whole event)`;
    text = text.slice(0, DETAIL_MAX_CHARS);
  }
  const lines = sanitizeText(text)
    .split('\n')
    .map((line) => highlight(line, search));
  if (note) lines.push([span(note, { fg: 'gray' })]);
  const matchLine = search ? lines.findIndex((line) => line.some((s) => s.style?.bg === 'yellow')) : -1;
  return { title, lines, matchLine: matchLine === -1 ? null : matchLine };
}

function prettyJson(payload: string): string {
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
}

/** Splits a line around case-insensitive occurrences of `search`, the way the store's search matches. */
function highlight(line: string, search: string | undefined): Line {
  if (!search) return [span(line)];
  const lower = line.toLowerCase();
  const needle = search.toLowerCase();
  const spans: Line = [];
  let from = 0;
  for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, from)) {
    if (at > from) spans.push(span(line.slice(from, at)));
    spans.push(span(line.slice(at, at + needle.length), { fg: 'black', bg: 'yellow' }));
    from = at + needle.length;
  }
  if (from < line.length || spans.length === 0) spans.push(span(line.slice(from)));
  return spans;
}
