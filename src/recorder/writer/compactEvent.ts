import type { RunStreamEvent } from '@openai/agents';
import { AGENT_UPDATED, describeStartingAgent, describeStreamEvent } from '../../events/describe.js';
import type { EventLevel } from '../../events/levels.js';
import { toJsonText } from '../../events/serialize.js';

/**
 * The form in which an event crosses from the application's thread to the writer: the cheapest lossless
 * one. A plain text delta is only its text; an agent change is the agent's name. Any other raw model event,
 * and an item, crosses as its JSON: they are nested objects (a provider's event, and the SDK's copy of it in
 * `output_text_delta`; an item's raw item), and crossing costs the application's thread less as JSON than as
 * objects (measured on the `openai` client's events: 0.6-0.9 µs an event for `JSON.stringify`, about 2 µs for
 * the structured cloning `postMessage` does, and 4 µs more on the writer's thread to rebuild the objects;
 * RunItems hold agents and functions, which cannot be cloned at all). The stored payload is what
 * `JSON.stringify(event)` gives on the application's thread.
 */
export const enum EventKind {
  /** `raw_model_stream_event` whose data is exactly `{type: 'output_text_delta', delta}`: its text is in the batch's text. */
  TextDelta = 0,
  /**
   * Any other raw model event: its JSON text is in the batch's text, as a text delta's text is. On the writer's
   * thread its value is an EventJson.
   */
  Raw = 1,
  /** `run_item_stream_event`: likewise. */
  Item = 2,
  /** `agent_updated_stream_event`: value is the agent's name. */
  AgentUpdated = 3,
  /** The recorder's own record of the starting agent: value is the agent's name. */
  StartingAgent = 4,
  /** Described on the application's thread already (an unknown event type): value is `[level, name, payload]`. */
  Described = 5,
}

/**
 * Where an event's compact form goes: the kind and value columns of a batch, at one index. A text delta's
 * text and an event's JSON go to `texts` instead (their length to `textLengths`): the batch crosses to the
 * writer with them joined in one string, which costs a fraction of cloning as many small strings.
 */
export interface CompactColumns {
  kinds: Uint8Array;
  values: unknown[];
  texts: string[];
  textLengths: Int32Array;
}

/**
 * Application thread, once per event: writes the event's compact form into the columns. A text delta, most of
 * a stream's events, costs no serialization and no allocation.
 */
export function writeCompactEvent(event: RunStreamEvent, columns: CompactColumns, i: number): void {
  switch (event.type) {
    case 'raw_model_stream_event': {
      const data = event.data as { type?: unknown; delta?: unknown };
      if (data.type === 'output_text_delta' && typeof data.delta === 'string' && event.source === undefined && keyCount(data) === 2) {
        columns.kinds[i] = EventKind.TextDelta;
        columns.texts.push(data.delta);
        columns.textLengths[i] = data.delta.length;
      } else {
        writeJson(event, EventKind.Raw, columns, i);
      }
      return;
    }
    case 'run_item_stream_event':
      writeJson(event, EventKind.Item, columns, i);
      return;
    case 'agent_updated_stream_event':
      columns.kinds[i] = EventKind.AgentUpdated;
      columns.values[i] = event.agent.name;
      return;
    default: {
      const described = describeStreamEvent(event);
      columns.kinds[i] = EventKind.Described;
      columns.values[i] = [described.level, described.name, described.payload];
    }
  }
}

function writeJson(event: RunStreamEvent, kind: EventKind.Raw | EventKind.Item, columns: CompactColumns, i: number): void {
  const json = toJsonText(event);
  columns.kinds[i] = kind;
  columns.texts.push(json);
  columns.textLengths[i] = json.length;
}

function keyCount(object: object): number {
  let n = 0;
  for (const _ in object) n++;
  return n;
}

/** Whether an event of this kind has its text (a delta's text, an event's JSON) in the batch's text. */
export function inBatchText(kind: EventKind): kind is EventKind.TextDelta | EventKind.Raw | EventKind.Item {
  return kind === EventKind.TextDelta || kind === EventKind.Raw || kind === EventKind.Item;
}

/** A raw model event or an item on the writer's thread: its JSON as the application's thread made it, and that JSON parsed. */
export interface EventJson {
  json: string;
  event: { data?: { type?: unknown }; name?: unknown };
}

export function eventJsonOf(json: string): EventJson {
  return { json, event: JSON.parse(json) as EventJson['event'] };
}

export interface ExpandedEvent {
  level: EventLevel;
  name: string;
  payload: string;
  /** The agent this event makes active. */
  newAgent?: string;
}

/**
 * Writer thread: the stored columns of an event, from its compact form. Not a text delta's: it goes to the store
 * as its text (storedEvent.ts).
 */
export function expandEvent(kind: Exclude<EventKind, EventKind.TextDelta>, value: unknown): ExpandedEvent {
  switch (kind) {
    case EventKind.Raw: {
      const { json, event } = value as EventJson;
      return { level: 'raw', name: String(event?.data?.type ?? 'unknown'), payload: json };
    }
    case EventKind.Item: {
      const { json, event } = value as EventJson;
      return { level: 'item', name: String(event?.name ?? 'unknown'), payload: json };
    }
    case EventKind.AgentUpdated: {
      const agent = String(value);
      return { level: 'agent', name: AGENT_UPDATED, payload: toJsonText({ agent: { name: agent }, type: 'agent_updated_stream_event' }), newAgent: agent };
    }
    case EventKind.StartingAgent:
      return describeStartingAgent(String(value)) as ExpandedEvent;
    case EventKind.Described: {
      const [level, name, payload] = value as [EventLevel, string, string];
      return { level, name, payload };
    }
  }
}
