import { RuntapeError } from '../errors.js';

/**
 * The three levels of a `RunStreamEvent`, as DESIGN.md names them. Every stored event has exactly one.
 */
export const EVENT_LEVELS = ['raw', 'item', 'agent'] as const;
export type EventLevel = (typeof EVENT_LEVELS)[number];

/** The SDK's `RunStreamEvent['type']` of each level. */
const LEVEL_OF_TYPE: Record<string, EventLevel> = {
  raw_model_stream_event: 'raw',
  run_item_stream_event: 'item',
  agent_updated_stream_event: 'agent',
};

export function levelOfType(type: string): EventLevel | undefined {
  return LEVEL_OF_TYPE[type];
}

export function isEventLevel(value: string): value is EventLevel {
  return (EVENT_LEVELS as readonly string[]).includes(value);
}

/** Parses `raw,item` style lists (CLI flags); throws with a one-line message on an unknown level. */
export function parseLevels(list: string): EventLevel[] {
  const levels = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const level of levels) {
    if (!isEventLevel(level)) {
      throw new RuntapeError(`unknown level "${level}" (expected ${EVENT_LEVELS.join(', ')})`);
    }
  }
  return levels as EventLevel[];
}
