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
 * is textDeltaPayload(delta), which the store rebuilds when it is read rather than the writer building and
 * compressing it once per delta.
 */
export type EventToStore = StoredEvent | TextDeltaToStore;

export interface TextDeltaToStore extends Omit<StoredEvent, 'payload'> {
  payload: null;
  delta: string;
}

const TEXT_DELTA_HEAD = '{"data":{"type":"output_text_delta","delta":';
const TEXT_DELTA_TAIL = '},"type":"raw_model_stream_event"}';

/** The payload of a plain text delta: what `JSON.stringify` gives for the SDK's event on the application's thread. */
export function textDeltaPayload(delta: string): string {
  return TEXT_DELTA_HEAD + JSON.stringify(delta) + TEXT_DELTA_TAIL;
}

/** The delta of a payload that is exactly textDeltaPayload(delta), if it is one (an imported or migrated event). */
export function textDeltaOf(payload: string): string | undefined {
  if (!payload.startsWith(TEXT_DELTA_HEAD) || !payload.endsWith(TEXT_DELTA_TAIL)) return undefined;
  let delta: unknown;
  try {
    delta = JSON.parse(payload.slice(TEXT_DELTA_HEAD.length, payload.length - TEXT_DELTA_TAIL.length));
  } catch {
    return undefined;
  }
  // Only when the payload is rebuilt byte for byte (no other escaping of the same text, nothing more in it).
  return typeof delta === 'string' && textDeltaPayload(delta) === payload ? delta : undefined;
}
