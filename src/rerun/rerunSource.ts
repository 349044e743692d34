import type { Agent, Handoff } from '@openai/agents';
import { RuntapeError } from '../errors.js';
import { openStore } from '../store/openStore.js';
import type { RunStore } from '../store/runStore.js';
import { readRecordedRun, type RecordedRun } from './recordedRun.js';

/** Where a re-run's recording is: a run (id, unique prefix or `last`) in a database (path or open store). */
export interface RerunSourceOptions {
  run: string;
  /** Default: the database the new run is recorded into (RUNTAPE_DB, then recordings/runtape.db). */
  db?: string | RunStore;
}

/** Reads the recorded run a re-run serves, once, before the run starts. */
export async function loadRerunSource(options: RerunSourceOptions, fallbackDb?: string | RunStore): Promise<RecordedRun> {
  const db = options.db ?? fallbackDb;
  if (typeof db === 'object') return readSource(db, options.run);
  const store = await openStore(db, { readonly: true });
  try {
    return await readSource(store, options.run);
  } finally {
    await store.close();
  }
}

async function readSource(store: RunStore, ref: string): Promise<RecordedRun> {
  const source = await readRecordedRun(store, await store.resolveRun(ref));
  if (source.calls.length === 0) {
    throw new RuntapeError(`run ${source.run.id} has no recorded model responses to serve (a non-streamed run's recording holds only its items)`);
  }
  return source;
}

type AnyAgent = Agent<any, any>;

/** The agents reachable from `start` through handoffs, by name. */
function agentsByName(start: AnyAgent): Map<string, AnyAgent> {
  const found = new Map<string, AnyAgent>();
  const pending: AnyAgent[] = [start];
  for (let agent = pending.shift(); agent; agent = pending.shift()) {
    if (found.has(agent.name)) continue;
    found.set(agent.name, agent);
    for (const h of agent.handoffs ?? []) pending.push('agentName' in h ? (h as Handoff<any, any>).agent : (h as AnyAgent));
  }
  return found;
}

/**
 * The first recorded call that a model provider could not serve, because its agent (in the graph the re-run
 * starts from) holds a Model instance: the runner uses that instance as is and never asks a provider.
 */
export function firstCallOfModelInstance(start: AnyAgent, source: RecordedRun): { call: number; agent: string } | undefined {
  const agents = agentsByName(start);
  const call = source.calls.find((c) => {
    const model = agents.get(c.agent)?.model;
    return model !== undefined && typeof model !== 'string';
  });
  return call && { call: call.call, agent: call.agent };
}
