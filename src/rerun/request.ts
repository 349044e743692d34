import type { ModelRequest } from '@openai/agents';
import type { AgentRecord } from '../store/types.js';
import type { RequestField } from './difference.js';
import type { RecordedCall } from './recordedRun.js';

/** A tool as offered to the model, in the form both sides of a comparison can give it. */
export interface OfferedTool {
  name: string;
  description?: string;
  parameters?: unknown;
}

/**
 * What a model call is matched on. A field the recording does not hold (instructions computed by a function,
 * the input before model calls were captured) is absent and not compared.
 */
export type ComparableRequest = { [F in RequestField]?: unknown } & { agent: string | null };

/** The request a model is sent now, by `agent` (when known), through a model named `model` (when known). */
export function requestNow(request: ModelRequest, agent: string | null, model: string | undefined): ComparableRequest {
  const tools: OfferedTool[] = [
    ...request.tools.map((tool) => offered(tool.name, 'description' in tool ? tool.description : undefined, 'parameters' in tool ? tool.parameters : undefined)),
    ...request.handoffs.map((handoff) => offered(handoff.toolName, undefined, undefined)),
  ];
  return {
    agent,
    instructions: request.systemInstructions ?? null,
    input: plain(request.input),
    tools,
    ...(model !== undefined ? { model } : {}),
  };
}

/**
 * The request of a recorded call, as far as the recording holds it: from the agent graph stored at the run's
 * start (string instructions, tools with their schemas, handoffs, model).
 */
export function requestRecorded(call: RecordedCall, agents: readonly AgentRecord[]): ComparableRequest {
  const agent = agents.find((a) => a.name === call.agent);
  if (!agent) return { agent: call.agent };
  return {
    agent: call.agent,
    ...(agent.instructions !== null ? { instructions: agent.instructions } : {}),
    tools: [
      ...agent.tools.map((tool) => offered(tool.name, tool.description, tool.parameters)),
      ...agent.handoffs.map((handoff) => offered(handoff.toolName ?? defaultHandoffToolName(handoff.agent), undefined, undefined)),
    ],
    ...(agent.model !== null ? { model: agent.model } : {}),
  };
}

/**
 * The agent graph stores a handoff to a plain agent by the agent's name alone: its tool is named as the SDK
 * names it. Handoffs are compared by name: the graph holds no description for such a handoff.
 */
function defaultHandoffToolName(agent: string): string {
  return `transfer_to_${agent.replace(/[^a-zA-Z0-9]/g, '_')}`;
}

function offered(name: string, description: string | undefined, parameters: unknown): OfferedTool {
  return { name, ...(description ? { description } : {}), ...(parameters !== undefined ? { parameters: plain(parameters) } : {}) };
}

/** A value as the recording holds it: its JSON form (class instances, undefined fields and all). */
function plain(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}
