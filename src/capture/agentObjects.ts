import type { Agent, Handoff } from '@openai/agents';

type AnyAgent = Agent<any, any>;

/**
 * Reading the application's live SDK objects: agents serialize to `{name}` only and a Model object's name is
 * not part of its interface, so the recorder, the capture layer and re-runs read them here, one way.
 */

/** The agents reachable from `start` through handoffs, each once (by name), `start` first. */
export function reachableAgents(start: AnyAgent): AnyAgent[] {
  const seen = new Map<string, AnyAgent>();
  const pending: AnyAgent[] = [start];
  while (pending.length > 0) {
    const agent = pending.shift()!;
    if (seen.has(agent.name)) continue;
    seen.set(agent.name, agent);
    for (const h of agent.handoffs ?? []) pending.push(isHandoff(h) ? h.agent : h);
  }
  return [...seen.values()];
}

export function isHandoff(h: AnyAgent | Handoff<any, any>): h is Handoff<any, any> {
  return 'agentName' in h && 'toolName' in h;
}

/** A model is a name, or a Model object whose name (when it has one) is not part of the interface. */
export function modelName(model: AnyAgent['model'] | undefined): string | undefined {
  if (typeof model === 'string') return model || undefined;
  if (!model) return undefined;
  const named = (model as { model?: unknown; name?: unknown }).model ?? (model as { name?: unknown }).name;
  return typeof named === 'string' ? named : model.constructor.name;
}
