import type { EventLevel } from './levels.js';

/** One stream event as a recording holds it, whichever store it comes from. */
export interface StoredEvent {
  seq: number;
  /** Monotonic offset from run start, microseconds. */
  tUs: number;
  level: EventLevel;
  name: string;
  agent: string | null;
  /** The event as JSON text; parse only what is shown. */
  payload: string;
}

/**
 * An event on its way into a store. A plain text delta (a raw model event that is exactly
 * `{type: 'output_text_delta', delta}`: most of a streamed run's events) may come as its text alone: its payload
 * is textDeltaPayloadOf(JSON.stringify(delta)), which the store rebuilds when it is read rather than the writer
 * building and compressing it once per delta.
 */
export type EventToStore = StoredEvent | TextDeltaToStore;

export interface TextDeltaToStore extends Omit<StoredEvent, 'payload'> {
  payload: null;
  delta: string;
}

const TEXT_DELTA_HEAD = '{"data":{"type":"output_text_delta","delta":';
const TEXT_DELTA_TAIL = '},"type":"raw_model_stream_event"}';

/**
 * The payload of a plain text delta (what `JSON.stringify` gives for the SDK's event on the application's thread)
 * whose text is `literal`, as JSON (`JSON.stringify(delta)`: a lone surrogate stays `\ud800` there, where UTF-8
 * would turn it into U+FFFD).
 */
export function textDeltaPayloadOf(literal: string): string {
  return TEXT_DELTA_HEAD + literal + TEXT_DELTA_TAIL;
}

/**
 * The delta of a payload that is exactly a plain text delta's (an imported or migrated event), when its JSON
 * gives the payload back byte for byte (no other escaping of the same text, nothing more in the event).
 */
export function textDeltaOf(payload: string): string | undefined {
  if (!payload.startsWith(TEXT_DELTA_HEAD) || !payload.endsWith(TEXT_DELTA_TAIL)) return undefined;
  const literal = payload.slice(TEXT_DELTA_HEAD.length, payload.length - TEXT_DELTA_TAIL.length);
  let delta: unknown;
  try {
    delta = JSON.parse(literal);
  } catch {
    return undefined;
  }
  return typeof delta === 'string' && JSON.stringify(delta) === literal ? delta : undefined;
}

/**
 * Events on their way into a store, column by column: how the recorder's writer hands over a batch without an
 * object per event. A plain text delta has a null payload and its text in `text`: the piece from the previous
 * event's `textEnds` entry (0 for the first) to its own. An event without text repeats the previous end, so the
 * deltas of any range of events lie side by side in `text`.
 */
export interface EventColumnsToStore {
  length: number;
  seqs: ArrayLike<number>;
  /** Whole microseconds. */
  tUs: ArrayLike<number>;
  levels: ArrayLike<EventLevel>;
  names: ArrayLike<string>;
  agents: ArrayLike<string | null>;
  payloads: ArrayLike<string | null>;
  text: string;
  textEnds: ArrayLike<number>;
}

/** Where event `i`'s text starts in its columns' `text` (the store's, or the writer's compact ones). */
export function textStartOf(events: { textEnds: ArrayLike<number> }, i: number): number {
  return i === 0 ? 0 : events.textEnds[i - 1]!;
}

/** A list of events as columns; a payload that is exactly a plain text delta's becomes its text. */
export function eventColumnsOf(events: readonly EventToStore[]): EventColumnsToStore {
  const length = events.length;
  const columns = {
    length,
    seqs: new Array<number>(length),
    tUs: new Array<number>(length),
    levels: new Array<EventLevel>(length),
    names: new Array<string>(length),
    agents: new Array<string | null>(length),
    payloads: new Array<string | null>(length),
    text: '',
    textEnds: new Array<number>(length),
  };
  const pieces: string[] = [];
  let textLength = 0;
  for (let i = 0; i < length; i++) {
    const e = events[i]!;
    const delta = e.payload === null ? e.delta : e.name === 'output_text_delta' ? textDeltaOf(e.payload) : undefined;
    columns.seqs[i] = e.seq;
    columns.tUs[i] = e.tUs;
    columns.levels[i] = e.level;
    columns.names[i] = e.name;
    columns.agents[i] = e.agent;
    columns.payloads[i] = delta === undefined ? e.payload : null;
    if (delta !== undefined) pieces.push(delta);
    columns.textEnds[i] = textLength += delta?.length ?? 0;
  }
  columns.text = pieces.join('');
  return columns;
}
