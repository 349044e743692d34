import type { Agent, Model } from '@openai/agents';
import { RuntapeError } from '../errors.js';
import { openStore } from '../store/openStore.js';
import type { RunStore } from '../store/runStore.js';
import { agentsByName } from './modelInstances.js';
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
  if (!source.calls.some((call) => call.events.length > 0)) {
    // A non-streamed run's responses are rebuilt from its captured calls and items (recordedRun.ts): not
    // possible when its calls were not captured, or when its items do not tell one response from the next.
    throw new RuntapeError(
      `run ${source.run.id} holds no model responses to serve: ${source.run.captured ? "its items do not tell its calls' responses apart" : 'its model calls were not captured'}`,
    );
  }
  return source;
}

/**
 * The first recorded call whose agent (in the graph the re-run starts from) holds a Model object (`which` of
 * them, default any): the runner calls such a model directly and never asks a provider for it.
 */
export function firstCallOfModelInstance(
  start: Agent<any, any>,
  source: RecordedRun,
  which: (model: Model) => boolean = () => true,
): { call: number; agent: string } | undefined {
  const agents = agentsByName(start);
  const call = source.calls.find((c) => {
    const model = agents.get(c.agent)?.model;
    return typeof model === 'object' && model !== null && which(model);
  });
  return call && { call: call.call, agent: call.agent };
}
