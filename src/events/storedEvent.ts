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
 * The JSON text of a payload's delta, when the payload is exactly a plain text delta's (an imported or migrated
 * event): rebuilt from it byte for byte (no other escaping of the same text, nothing more in the event).
 */
export function textDeltaLiteralOf(payload: string): string | undefined {
  if (!payload.startsWith(TEXT_DELTA_HEAD) || !payload.endsWith(TEXT_DELTA_TAIL)) return undefined;
  const literal = payload.slice(TEXT_DELTA_HEAD.length, payload.length - TEXT_DELTA_TAIL.length);
  let delta: unknown;
  try {
    delta = JSON.parse(literal);
  } catch {
    return undefined;
  }
  return typeof delta === 'string' && JSON.stringify(delta) === literal ? literal : undefined;
}
