import type { Agent } from '@openai/agents';
import { agentsByName } from './modelInstances.js';
import type { RerunSession } from './rerunSession.js';

type AnyAgent = Agent<any, any>;

/** A provider's re-run waiting for its run, or serving it (`run`: the RunContext of that run). */
interface Follower {
  session: WeakRef<RerunSession>;
  start: AnyAgent;
  run?: object;
}

const followers = new Set<Follower>();
const listening = new WeakSet<AnyAgent>();

/**
 * Tells a model provider's re-run which agent is calling: a provider is never told, but each agent announces
 * its turn on itself (`agent_start`, with the run's context), just before the runner asks for its model. The
 * re-run claims the first run that starts at `start`, and from then on hears only that run's agents (runs
 * of other runners sharing the agents are told apart by their context). One listener per agent, however many
 * re-runs; a re-run nobody holds any more is dropped.
 */
export function followAgents(session: RerunSession, start: AnyAgent): void {
  followers.add({ session: new WeakRef(session), start });
  for (const agent of agentsByName(start).values()) {
    if (listening.has(agent)) continue;
    listening.add(agent);
    agent.on('agent_start', (context: object, started: AnyAgent) => agentStarted(context, started));
  }
}

function agentStarted(context: object, agent: AnyAgent): void {
  const live = [...followers].filter((follower) => follower.session.deref() !== undefined || !followers.delete(follower));
  const follower = live.find((f) => f.run === context) ?? live.find((f) => f.run === undefined && f.start === agent);
  if (!follower) return;
  follower.run = context;
  follower.session.deref()!.agentStarted(agent.name);
}
