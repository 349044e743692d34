import type { Agent, Handoff } from '@openai/agents';
import type { AgentRecord, HandoffRecord, ToolRecord } from '../store/types.js';

type AnyAgent = Agent<any, any>;

/**
 * The agent graph reachable from the starting agent through handoffs, as it was at run start.
 * Agents serialize to `{name}` only, so everything worth seeing later is read off the live objects here.
 */
export function describeAgentGraph(start: AnyAgent, runnerModel?: string): AgentRecord[] {
  return reachableAgents(start).map((agent) => describeAgent(agent, runnerModel));
}

/** The agents reachable from `start` through handoffs, each once (by name), `start` first. */
export function reachableAgents(start: AnyAgent): AnyAgent[] {
  const seen = new Map<string, AnyAgent>();
  const pending: AnyAgent[] = [start];
  while (pending.length > 0) {
    const agent = pending.shift()!;
    if (seen.has(agent.name)) continue;
    seen.set(agent.name, agent);
    for (const h of agent.handoffs ?? []) pending.push(handoffTarget(h));
  }
  return [...seen.values()];
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

export function isHandoff(h: AnyAgent | Handoff<any, any>): h is Handoff<any, any> {
  return 'agentName' in h && 'toolName' in h;
}

function handoffTarget(h: AnyAgent | Handoff<any, any>): AnyAgent {
  return isHandoff(h) ? h.agent : h;
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

/** A model is a name, or a Model object whose name (when it has one) is not part of the interface. */
export function modelName(model: AnyAgent['model'] | undefined): string | undefined {
  if (typeof model === 'string') return model || undefined;
  if (!model) return undefined;
  const named = (model as { model?: unknown; name?: unknown }).model ?? (model as { name?: unknown }).name;
  return typeof named === 'string' ? named : model.constructor.name;
}
