import { formatGap, formatOffset } from '../display/format.js';
import { MarkedText } from '../display/markedText.js';
import { STARTING_AGENT } from '../events/describe.js';
import { textDeltaOf } from '../events/payload.js';
import { sanitizeLine, truncateLine } from '../events/sanitize.js';
import { summarizeEvent } from '../events/summarize.js';
import { eventLine } from '../store/exchange.js';
import type { SeqRange, StoredEvent } from '../store/types.js';

export const REPLAY_FORMATS = ['text', 'events', 'jsonl'] as const;
export type ReplayFormat = (typeof REPLAY_FORMATS)[number];

/** Items worth a marker line in the text view; message text itself arrives as deltas. */
const MARKED_ITEMS = new Set(['tool_called', 'tool_output', 'handoff_requested', 'handoff_occurred', 'reasoning_item_created', 'tool_approval_requested']);

/**
 * Turns replayed events into terminal output, one event at a time. Every recorded string passes the
 * sanitizer: escape sequences in model output show as visible stand-ins, never act on the terminal.
 */
export class TerminalFormatter {
  readonly #lines = new MarkedText();
  /** Set when raw events are filtered out: message items then carry the text. */
  readonly #textFromItems: boolean;
  readonly #width: number;

  constructor(
    private readonly format: ReplayFormat,
    options: { textFromItems?: boolean; width?: number } = {},
  ) {
    this.#textFromItems = options.textFromItems ?? false;
    this.#width = options.width ?? 160;
  }

  /** The output for one event ('' when it shows nothing in this format). */
  render(event: StoredEvent): string {
    switch (this.format) {
      case 'jsonl':
        return eventLine(event) + '\n';
      case 'events':
        return this.#eventRow(event) + '\n';
      case 'text':
        return this.#text(event);
    }
  }

  /** A gap in the recording where the replay passes it: a marker line in every format (jsonl: `{"gap":{fromSeq,toSeq}}`). */
  gap(range: SeqRange): string {
    switch (this.format) {
      case 'jsonl':
        return JSON.stringify({ gap: { fromSeq: range.fromSeq, toSeq: range.toSeq } }) + '\n';
      case 'events':
        return `${'—'.padStart(formatOffset(0).length)}  gap     ${formatGap(range)}\n`;
      case 'text':
        return this.#marker(formatGap(range));
    }
  }

  /** What closes the output (a newline if text was left mid-line). */
  finish(trailer?: string): string {
    return trailer && this.format === 'text' ? this.#marker(trailer) : this.#lines.breakLine();
  }

  #eventRow(e: StoredEvent): string {
    const head = `${formatOffset(e.tUs)}  #${String(e.seq).padEnd(6)} ${e.level.padEnd(5)} ${truncateLine(e.agent ?? '—', 24).padEnd(24)} ${truncateLine(e.name, 24).padEnd(24)} `;
    return head + truncateLine(summarizeEvent(e), Math.max(20, this.#width - head.length));
  }

  #text(e: StoredEvent): string {
    const delta = textDeltaOf(e);
    if (delta !== undefined) return this.#lines.text(delta);
    if (e.level === 'agent') {
      return this.#marker(`${formatOffset(e.tUs)} ${e.name === STARTING_AGENT ? '▶' : '→'} ${sanitizeLine(e.agent ?? '?')}`);
    }
    if (e.level === 'item' && (MARKED_ITEMS.has(e.name) || (this.#textFromItems && e.name === 'message_output_created'))) {
      return this.#marker(`${formatOffset(e.tUs)} ${truncateLine(summarizeEvent(e), this.#width - 12)}`);
    }
    return '';
  }

  /** A marker goes on a line of its own, whatever text was streaming. */
  #marker(line: string): string {
    return `${this.#lines.breakLine()}── ${line}\n`;
  }
}
