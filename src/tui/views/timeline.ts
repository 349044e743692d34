import { formatDuration, formatOffset } from '../../display/format.js';
import { EVENT_LEVELS, type EventLevel } from '../../events/levels.js';
import { sanitizeLine } from '../../events/sanitize.js';
import { summarizeEvent } from '../../events/summarize.js';
import type { EventFilter, RunStore } from '../../store/runStore.js';
import type { SeqRange, StoredEvent } from '../../store/types.js';
import type { AgentColours } from './agentColours.js';
import { span, type Line, type SpanStyle } from './styled.js';
import { fitWidth } from './width.js';

/** A silence longer than this between two shown events gets a separator row of its own. */
export const GAP_MARK_US = 500_000;

export type TimelineRow =
  | {
      kind: 'event';
      event: StoredEvent;
      /** The row the playhead is on. */
      selected: boolean;
      /** Already played (at or before the playhead); later rows are still to come. */
      played: boolean;
    }
  | { kind: 'gap'; us: number }
  /** Events the recorder lost between two stored ones (its writer stuck or dead). */
  | { kind: 'lost'; range: SeqRange };

/** The rows between two neighbouring shown events: events lost between them, a long silence. */
function separatorRows(before: StoredEvent, event: StoredEvent, gaps: readonly SeqRange[], markUs: number): TimelineRow[] {
  const rows: TimelineRow[] = gaps.filter((g) => g.fromSeq > before.seq && g.toSeq < event.seq).map((range) => ({ kind: 'lost', range }));
  if (event.tUs - before.tUs >= markUs) rows.push({ kind: 'gap', us: event.tUs - before.tUs });
  return rows;
}

/**
 * The rows for a window of shown events: one per event, plus a gap row wherever the time between two
 * neighbours is at least `gapMarkUs`, and a lost row wherever the recorder lost events between them. At
 * most `height` rows.
 */
export function timelineRows(
  events: readonly StoredEvent[],
  options: { height: number; selectedSeq: number | null; position: number; gapMarkUs?: number; gaps?: readonly SeqRange[] },
): TimelineRow[] {
  const mark = options.gapMarkUs ?? GAP_MARK_US;
  const rows: TimelineRow[] = [];
  for (const [i, event] of events.entries()) {
    const before = events[i - 1];
    if (before) rows.push(...separatorRows(before, event, options.gaps ?? [], mark));
    rows.push({ kind: 'event', event, selected: event.seq === options.selectedSeq, played: event.seq <= options.position });
    if (rows.length >= options.height) break;
  }
  return rows.slice(0, options.height);
}

/**
 * The timeline of one run: which levels are shown, and which window of them is on screen. Reads only the
 * window it shows (a seq range on the store's primary key), never the run, so a million-event run costs
 * what a small one does. The window stays put while the playhead moves inside it and scrolls, keeping a
 * few rows of context, when the playhead leaves it. One frame at a time asks for rows: the window's place is
 * kept from one frame to the next.
 */
export class Timeline {
  readonly #store: RunStore;
  readonly #runId: string;
  readonly #gaps: () => readonly SeqRange[];
  readonly #levels = new Set<EventLevel>(EVENT_LEVELS);
  /** Seq at which the window starts (its first row is the first shown event at or after it). */
  #top = 0;
  /** Bumped when the run grows or the filter changes: cached reads are then stale. */
  #generation = 0;
  #windowCache: { key: string; events: StoredEvent[] } | undefined;
  #selectedCache: { key: string; event: StoredEvent | undefined } | undefined;

  /** `gaps`: the events the recorder lost, as the run record says now. */
  constructor(store: RunStore, runId: string, gaps: () => readonly SeqRange[] = () => []) {
    this.#store = store;
    this.#runId = runId;
    this.#gaps = gaps;
  }

  get levels(): ReadonlySet<EventLevel> {
    return this.#levels;
  }

  get filter(): EventFilter {
    return { levels: EVENT_LEVELS.filter((l) => this.#levels.has(l)) };
  }

  toggle(level: EventLevel): void {
    if (this.#levels.has(level)) this.#levels.delete(level);
    else this.#levels.add(level);
    this.#generation++;
  }

  /** New events were stored (a live run). */
  grew(): void {
    this.#generation++;
  }

  /** The shown event the playhead is on: the last one at or before `position`. */
  async selectedAt(position: number): Promise<StoredEvent | undefined> {
    if (position < 0) return undefined;
    const key = `${this.#generation}:${position}`;
    if (this.#selectedCache?.key !== key) {
      this.#selectedCache = { key, event: (await this.#read(position, 1, true))[0] };
    }
    return this.#selectedCache.event;
  }

  /** The shown event after (or before) `seq`, `count` shown events away, or the farthest there is. */
  async neighbour(seq: number, direction: 1 | -1, count = 1): Promise<StoredEvent | undefined> {
    if (direction === -1 && seq <= 0) return undefined;
    const events = await this.#read(seq + direction, count, direction === -1);
    return events.at(-1);
  }

  /** The rows to show, `height` of them at most, with the playhead's row in view. */
  async rows(position: number, height: number): Promise<TimelineRow[]> {
    if (height <= 0) return [];
    const selected = await this.selectedAt(position);
    let window = await this.#layout(height, selected, position);
    // With nothing shown played yet, the window belongs at the start.
    const top = selected ? await this.#topKeepingInView(selected, window, height) : 0;
    if (top !== this.#top) {
      this.#top = top;
      window = await this.#layout(height, selected, position);
    }
    // Near the end, fill the window from the bottom rather than leave it half empty.
    const last = window.rows.at(-1);
    if (window.rows.length < height && this.#top > 0 && last?.kind === 'event') {
      this.#top = await this.#topFor(last.event, height - 1);
      window = await this.#layout(height, selected, position);
    }
    return window.rows;
  }

  async #layout(height: number, selected: StoredEvent | undefined, position: number): Promise<{ events: StoredEvent[]; rows: TimelineRow[] }> {
    // One event more than fits tells whether more follow below the window.
    const events = await this.#window(this.#top, height + 1);
    return { events, rows: timelineRows(events, { height, selectedSeq: selected?.seq ?? null, position, gaps: this.#gaps() }) };
  }

  /** The window's top: unchanged while the selected row is in view with a few rows of context, else moved. */
  async #topKeepingInView(selected: StoredEvent, window: { events: StoredEvent[]; rows: TimelineRow[] }, height: number): Promise<number> {
    const margin = Math.min(3, Math.floor(height / 4));
    const shown = window.rows.flatMap((r) => (r.kind === 'event' ? [r.event.seq] : []));
    const rowIndex = window.rows.findIndex((r) => r.kind === 'event' && r.selected);
    const moreBelow = window.events.length > shown.length;
    if (rowIndex === -1) return this.#topFor(selected, shown.length === 0 || selected.seq < shown[0]! ? margin : height - 1 - margin);
    if (rowIndex < margin) return this.#topFor(selected, margin);
    if (moreBelow && rowIndex > height - 1 - margin) return this.#topFor(selected, height - 1 - margin);
    return this.#top;
  }

  /** The seq to start the window at so that `event` lands `rowsAbove` rows down (gap rows count). */
  async #topFor(event: StoredEvent, rowsAbove: number): Promise<number> {
    const before = await this.#read(event.seq - 1, rowsAbove, true);
    let used = 0;
    let top = event.seq;
    let later = event;
    for (const e of before) {
      const cost = 1 + separatorRows(e, later, this.#gaps(), GAP_MARK_US).length;
      if (used + cost > rowsAbove) break;
      used += cost;
      top = e.seq;
      later = e;
    }
    return top;
  }

  async #window(fromSeq: number, limit: number): Promise<StoredEvent[]> {
    const key = `${this.#generation}:${fromSeq}:${limit}`;
    if (this.#windowCache?.key !== key) this.#windowCache = { key, events: await this.#read(fromSeq, limit, false) };
    return this.#windowCache.events;
  }

  async #read(fromSeq: number, limit: number, backward: boolean): Promise<StoredEvent[]> {
    if (limit <= 0 || fromSeq < 0) return [];
    return this.#store.readEvents(this.#runId, { fromSeq, limit, backward, filter: this.filter });
  }
}

/** One line saying what an event is, remembered per event: rows are drawn many times while a run plays. */
export class Summaries {
  readonly #cache = new Map<number, string>();

  of(event: StoredEvent): string {
    let summary = this.#cache.get(event.seq);
    if (summary === undefined) {
      // A bounded memo: a long replay passes through every event once.
      if (this.#cache.size >= 2000) this.#cache.clear();
      summary = summarizeEvent(event);
      this.#cache.set(event.seq, summary);
    }
    return summary;
  }
}

/**
 * One timeline row as a line of exactly `width` cells: marker, time offset, level, agent, name, summary.
 * Rows ahead of the playhead are grey; the playhead's row is inverted.
 */
export function timelineLine(row: TimelineRow, width: number, colours: AgentColours, summaries: Summaries): Line {
  if (row.kind === 'lost') {
    const { fromSeq, toSeq } = row.range;
    const count = toSeq - fromSeq + 1;
    const label = `  ╳╳╳╳ ${count} event${count === 1 ? '' : 's'} lost (#${fromSeq}${count === 1 ? '' : `–#${toSeq}`}): the recorder's writer was stuck `;
    return [span(fitWidth(label + '╳'.repeat(Math.max(0, width - label.length)), width), { fg: 'red', bold: true })];
  }
  if (row.kind === 'gap') {
    const label = `  ┈┈┈┈ ${formatDuration(row.us)} gap `;
    return [span(fitWidth(label + '┈'.repeat(Math.max(0, width - label.length)), width), { fg: 'yellow' })];
  }
  const { event } = row;
  const agentWidth = Math.max(8, Math.min(24, Math.floor(width * 0.17)));
  // The longest SDK names (message_output_created) are 22 characters.
  const nameWidth = Math.max(10, Math.min(22, Math.floor(width * 0.25)));
  const fixed = 2 + 12 + 6 + agentWidth + 1 + nameWidth + 1;
  const base: SpanStyle = row.selected ? { inverse: true, bold: true } : row.played ? {} : { fg: 'gray' };
  const tinted = (style: SpanStyle): SpanStyle => (row.played || row.selected ? { ...style, ...base } : base);
  return [
    span(row.selected ? '▶ ' : '  ', base),
    // Room for offsets up to +99999.999s (27 hours).
    span(fitWidth(formatOffset(event.tUs).padStart(11), 11) + ' ', base),
    span(fitWidth(event.level, 5) + ' ', tinted(event.level === 'raw' ? {} : { bold: true })),
    span(fitWidth(sanitizeLine(event.agent ?? '—'), agentWidth) + ' ', tinted({ fg: colours.of(event.agent) })),
    span(fitWidth(sanitizeLine(event.name), nameWidth) + ' ', tinted(event.level === 'raw' ? {} : { bold: true })),
    span(fitWidth(sanitizeLine(summaries.of(event)), width - fixed), base),
  ];
}
