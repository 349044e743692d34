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
