import type { RunStreamEvent } from '@openai/agents';
import { levelOfType, type EventLevel } from './levels.js';
import { toJsonText } from './serialize.js';

/** The columns of one stored event that come from the SDK event itself. */
export interface DescribedEvent {
  level: EventLevel;
  /** Item name (`handoff_occurred`), raw `data.type` (`output_text_delta`), or `agent_updated`. */
  name: string;
  payload: string;
  /** The agent this event makes active (agent level only). */
  newAgent?: string;
}

/** Name of agent-level records: the SDK's event, and the recorder's own record of the starting agent. */
export const AGENT_UPDATED = 'agent_updated';
export const STARTING_AGENT = 'starting_agent';

export function describeStreamEvent(event: RunStreamEvent): DescribedEvent {
  const payload = toJsonText(event);
  switch (event.type) {
    case 'raw_model_stream_event':
      return { level: 'raw', name: String(event.data?.type ?? 'unknown'), payload };
    case 'run_item_stream_event':
      return { level: 'item', name: event.name, payload };
    case 'agent_updated_stream_event':
      return { level: 'agent', name: AGENT_UPDATED, payload, newAgent: event.agent.name };
    default: {
      // A future SDK event type: keep it rather than lose it; it shows at the level its type implies, else raw.
      const unknown = event as { type?: unknown };
      const type = String(unknown.type ?? 'unknown');
      return { level: levelOfType(type) ?? 'raw', name: type, payload };
    }
  }
}

/** The synthetic record of the starting agent: shaped like the SDK's `agent_updated_stream_event`. */
export function describeStartingAgent(agentName: string): DescribedEvent {
  return {
    level: 'agent',
    name: STARTING_AGENT,
    payload: toJsonText({ type: 'agent_updated_stream_event', agent: { name: agentName } }),
    newAgent: agentName,
  };
}
