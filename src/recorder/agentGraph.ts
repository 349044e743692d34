import type { Agent, Handoff } from '@openai/agents';
import { isHandoff, modelName, reachableAgents } from '../capture/agentObjects.js';
import type { AgentRecord, HandoffRecord, ToolRecord } from '../store/types.js';

type AnyAgent = Agent<any, any>;

/**
 * The agent graph reachable from the starting agent through handoffs, as it was at run start.
 * Agents serialize to `{name}` only, so everything worth seeing later is read off the live objects here.
 */
export function describeAgentGraph(start: AnyAgent, runnerModel?: string): AgentRecord[] {
  return reachableAgents(start).map((agent) => describeAgent(agent, runnerModel));
}

/** `runnerModel` is RunConfig.model, which overrides every agent's own. */
function describeAgent(agent: AnyAgent, runnerModel: string | undefined): AgentRecord {
  return {
    name: agent.name,
    instructions: typeof agent.instructions === 'string' ? agent.instructions : null,
    model: runnerModel ?? modelName(agent.model) ?? null,
    handoffDescription: agent.handoffDescription || null,
    tools: (agent.tools ?? []).map(describeTool),
    handoffs: (agent.handoffs ?? []).map(describeHandoff),
  };
}

function describeHandoff(h: AnyAgent | Handoff<any, any>): HandoffRecord {
  if (isHandoff(h)) return { agent: h.agentName, toolName: h.toolName, toolDescription: h.toolDescription };
  return { agent: h.name };
}

function describeTool(tool: AnyAgent['tools'][number]): ToolRecord {
  const t = tool as { type: string; name?: string; description?: string; parameters?: unknown };
  return {
    name: t.name ?? t.type,
    type: t.type,
    ...(t.description ? { description: t.description } : {}),
    ...(t.parameters !== undefined ? { parameters: t.parameters } : {}),
  };
}
