import type { ModelRequest } from '@openai/agents';
import { sentRequest } from '../capture/modelRequest.js';
import type { HandoffOffer, ModelCallRecord, ToolOffer } from '../capture/types.js';
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
 * What a model call is matched on. A field the recording does not hold (the input of a run recorded before
 * model calls were captured, instructions computed by a function there) is absent and not compared.
 */
export type ComparableRequest = { [F in RequestField]?: unknown } & { agent: string | null };

type SentParts = Pick<ModelCallRecord, 'instructions' | 'input' | 'tools' | 'handoffs'>;

/**
 * A request as sent (captured, or being sent now), by `agent` through a model named `model`, with its `input`
 * items in their JSON form.
 */
function comparable(agent: string | null, sent: SentParts, input: unknown, model: string | null | undefined): ComparableRequest {
  return {
    agent,
    instructions: sent.instructions,
    input,
    tools: offeredTools(sent.tools, sent.handoffs),
    ...(model !== undefined && model !== null ? { model } : {}),
  };
}

/** The request a model is sent now, by `agent` (when known), through a model named `model` (when known). */
export function requestNow(request: ModelRequest, agent: string | null, model: string | undefined): ComparableRequest {
  const sent = sentRequest(request, undefined);
  return comparable(agent, sent, plain(sent.input), model);
}

/**
 * The request of a recorded call: as captured, or, for a run recorded before model calls were captured, as far
 * as the agent graph stored at its start tells (string instructions, tools with their schemas, handoffs, model).
 */
export function requestRecorded(call: RecordedCall, agents: readonly AgentRecord[]): ComparableRequest {
  // Read from the store, the captured input is in its JSON form already: a long run's calls need no copy of it.
  if (call.request) return comparable(call.agent, call.request, call.request.input, call.request.model);
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
 * Function and hosted tools with their descriptions and schemas; handoffs by their tool's name alone, which is
 * all an agent graph holds of a handoff to a plain agent.
 */
function offeredTools(tools: readonly ToolOffer[], handoffs: readonly HandoffOffer[]): OfferedTool[] {
  return [...tools.map((tool) => offered(tool.name, tool.description, tool.parameters)), ...handoffs.map((h) => offered(h.toolName, undefined, undefined))];
}

/** The SDK's name for the tool of a handoff to a plain agent (`transfer_to_Weather_Agent`). */
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
