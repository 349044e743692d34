import { handoff as handoffOf, type Agent, type Handoff, type ModelRequest } from '@openai/agents';
import { toJsonText } from '../events/serialize.js';
import type { HandoffOffer, ModelCallRecord, ToolOffer } from './types.js';

/** What a call sent, as the model received it (`ModelRequest`), in plain JSON-able form for the writer. */
export type SentRequest = Pick<
  ModelCallRecord,
  'instructions' | 'input' | 'tools' | 'handoffs' | 'settings' | 'outputType' | 'previousResponseId' | 'conversationId'
>;

/**
 * The request's parts a person debugging the run looks at. Input items are the SDK's plain protocol objects:
 * the list is copied (the runner builds the next turn's from the same items), the items are not. Settings go
 * through JSON: a retry policy is a function, which neither the writer nor an export can hold.
 */
export function sentRequest(request: ModelRequest, agent: Agent<any, any> | undefined): SentRequest {
  return {
    instructions: request.systemInstructions ?? null,
    input: typeof request.input === 'string' ? request.input : request.input.slice(),
    tools: (request.tools ?? []).map(toolOffer),
    handoffs: (request.handoffs ?? []).map((h) => handoffOffer(h, agent)),
    settings: JSON.parse(toJsonText(request.modelSettings ?? {})) as Record<string, unknown>,
    outputType: request.outputType ?? null,
    previousResponseId: request.previousResponseId ?? null,
    conversationId: request.conversationId ?? null,
  };
}

function toolOffer(tool: NonNullable<ModelRequest['tools']>[number]): ToolOffer {
  const t = tool as { type: string; name: string; description?: string; parameters?: unknown; strict?: boolean };
  return {
    type: t.type,
    name: t.name,
    ...(t.description !== undefined ? { description: t.description } : {}),
    ...(t.parameters !== undefined ? { parameters: t.parameters } : {}),
    ...(t.strict !== undefined ? { strict: t.strict } : {}),
  };
}

type SerializedHandoff = NonNullable<ModelRequest['handoffs']>[number];

/** A handoff as offered; the request names only its tool, the agent offering it says where the tool leads. */
function handoffOffer(handoff: SerializedHandoff, agent: Agent<any, any> | undefined): HandoffOffer {
  return {
    toolName: handoff.toolName,
    toolDescription: handoff.toolDescription,
    agent: targetOf(handoff.toolName, agent) ?? handoff.toolName,
    ...(handoff.inputJsonSchema !== undefined ? { inputJsonSchema: handoff.inputJsonSchema } : {}),
    ...(handoff.strictJsonSchema !== undefined ? { strict: handoff.strictJsonSchema } : {}),
  };
}

function targetOf(toolName: string, agent: Agent<any, any> | undefined): string | undefined {
  for (const h of (agent?.handoffs ?? []) as (Agent<any, any> | Handoff<any, any>)[]) {
    // A bare agent is offered under the SDK's default tool name, which its own `handoff()` computes.
    const offered = 'toolName' in h && 'agentName' in h ? h : handoffOf(h);
    if (offered.toolName === toolName) return offered.agentName;
  }
  return undefined;
}
