import type { Agent, Handoff, Model, ModelRequest } from '@openai/agents';
import { modelName } from '../recorder/agentGraph.js';
import { currentRerun } from './rerunContext.js';
import { RerunModel } from './rerunModel.js';

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

const SERVED = Symbol.for('runtape.rerun.servedModel');

/**
 * Lets a re-run answer the calls of a `Model` object an agent holds (the runner calls it directly, never
 * through a provider): `getResponse` and `getStreamedResponse` become own properties of this one object that
 * ask `currentRerun()` whether the calling run is a re-run, and otherwise call the model's own methods, as
 * before. Idempotent; every other property stays the model's own; runs that share the object each get their
 * own answers. A frozen model is left alone (its calls would go live: the re-run refuses such an agent).
 */
export function serveModelInstance(model: Model): boolean {
  const target = model as Model & { [SERVED]?: true };
  if (target[SERVED]) return true;
  if (!Object.isExtensible(target)) return false;
  const own: Model = { getResponse: target.getResponse.bind(target), getStreamedResponse: target.getStreamedResponse.bind(target) };
  const served = new RerunModel(modelName(model), currentRerun, () => own);
  Object.defineProperty(target, SERVED, { value: true });
  Object.defineProperty(target, 'getResponse', {
    configurable: true,
    writable: true,
    value: (request: ModelRequest) => (currentRerun() ? served.getResponse(request) : own.getResponse(request)),
  });
  Object.defineProperty(target, 'getStreamedResponse', {
    configurable: true,
    writable: true,
    value: (request: ModelRequest) => (currentRerun() ? served.getStreamedResponse(request) : own.getStreamedResponse(request)),
  });
  return true;
}
