import { JoinedText, type TextSource } from '../../events/joinedText.js';
import { textStartOf } from '../../events/storedEvent.js';
import { EventKind } from './compactEvent.js';

/**
 * A run's events on the writer thread, in their compact form (compactEvent.ts), column by column. A text delta
 * (EventKind.TextDelta) has no value and no string of its own: its text is the piece of `text` from the
 * previous event's `textEnds` entry (0 for the first) to its own, as in the store's EventColumnsToStore, so a
 * batch's deltas go from the application's thread to the database without an object or a string each.
 */
export interface CompactEvents {
  seqs: number[];
  /** Whole microseconds from the run's start. */
  tUs: number[];
  kinds: EventKind[];
  values: unknown[];
  text: string;
  textEnds: number[];
}

/** Collects a run's compact events; the texts of deltas that lie side by side in their source stay one piece. */
export class CompactEventsBuilder {
  readonly #events: CompactEvents = { seqs: [], tUs: [], kinds: [], values: [], text: '', textEnds: [] };
  readonly #text = new JoinedText();

  /** An event that is not a text delta. */
  push(seq: number, tUs: number, kind: EventKind, value: unknown): void {
    this.#push(seq, tUs, kind, value);
  }

  /** A text delta whose text is `source.text` from `start` to `end`. */
  pushDelta(seq: number, tUs: number, source: TextSource, start: number, end: number): void {
    this.#text.addPiece(source, start, end);
    this.#push(seq, tUs, EventKind.TextDelta, undefined);
  }

  build(): CompactEvents {
    this.#events.text = this.#text.toString();
    return this.#events;
  }

  #push(seq: number, tUs: number, kind: EventKind, value: unknown): void {
    const events = this.#events;
    events.seqs.push(seq);
    events.tUs.push(Math.round(tUs));
    events.kinds.push(kind);
    events.values.push(value);
    events.textEnds.push(this.#text.length);
  }
}

/** `before`'s events, then `after`'s. */
export function concatEvents(before: CompactEvents, after: CompactEvents): CompactEvents {
  const shift = before.text.length;
  return {
    seqs: before.seqs.concat(after.seqs),
    tUs: before.tUs.concat(after.tUs),
    kinds: before.kinds.concat(after.kinds),
    values: before.values.concat(after.values),
    text: before.text + after.text,
    textEnds: before.textEnds.concat(after.textEnds.map((end) => end + shift)),
  };
}

/** Events `from` to `to`. */
export function sliceEvents(events: CompactEvents, from: number, to: number): CompactEvents {
  if (from === 0 && to === events.seqs.length) return events;
  const start = from < to ? textStartOf(events, from) : 0;
  const end = from < to ? events.textEnds[to - 1]! : 0;
  return {
    seqs: events.seqs.slice(from, to),
    tUs: events.tUs.slice(from, to),
    kinds: events.kinds.slice(from, to),
    values: events.values.slice(from, to),
    text: events.text.slice(start, end),
    textEnds: events.textEnds.slice(from, to).map((e) => e - start),
  };
}
