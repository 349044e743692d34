import type { Agent, Handoff, Model } from '@openai/agents';

type AnyAgent = Agent<any, any>;

/** The agents reachable from `start` through handoffs, by name. */
export function agentsByName(start: AnyAgent): Map<string, AnyAgent> {
  const found = new Map<string, AnyAgent>();
  const pending: AnyAgent[] = [start];
  for (let agent = pending.shift(); agent; agent = pending.shift()) {
    if (found.has(agent.name)) continue;
    found.set(agent.name, agent);
    for (const h of agent.handoffs ?? []) pending.push('agentName' in h ? (h as Handoff<any, any>).agent : (h as AnyAgent));
  }
  return found;
}

/** The `Model` objects the agents reachable from `start` hold (those given by name go through a provider). */
export function modelInstances(start: AnyAgent): Model[] {
  return [...agentsByName(start).values()].map((agent) => agent.model).filter((model): model is Model => typeof model === 'object' && model !== null);
}
