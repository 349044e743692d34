import { describeStartingAgent } from '../../src/events/describe.js';
import type { RunStore } from '../../src/store/runStore.js';
import { newRunId } from '../../src/store/runStore.js';
import type { StoredEvent } from '../../src/store/types.js';

export interface SyntheticEvent {
  tUs: number;
  level: StoredEvent['level'];
  name: string;
  agent: string;
  payload?: unknown;
}

/** A run written straight into the store with exactly these offsets, for checking replay timing. */
export async function storeSyntheticRun(store: RunStore, events: SyntheticEvent[], options: { startingAgent?: string; status?: 'completed' | 'running' } = {}): Promise<string> {
  const id = newRunId();
  const startingAgent = options.startingAgent ?? 'A';
  await store.createRun({ id, name: 'synthetic', startedAt: Date.now(), startingAgent, input: 'synthetic', sdkVersion: null, tags: [], metadata: {}, agents: [] });
  const rows: StoredEvent[] = [{ seq: 0, tUs: 0, level: 'agent', name: 'starting_agent', agent: startingAgent, payload: describeStartingAgent(startingAgent).payload }];
  for (const e of events) {
    rows.push({ seq: rows.length, tUs: e.tUs, level: e.level, name: e.name, agent: e.agent, payload: JSON.stringify(e.payload ?? defaultPayload(e)) });
  }
  await store.appendEvents(id, rows);
  if (options.status !== 'running') {
    await store.finishRun(id, { status: 'completed', durationUs: rows.at(-1)!.tUs, lastAgent: rows.at(-1)!.agent, finalOutput: null, error: null, usage: null });
  }
  return id;
}

function defaultPayload(e: SyntheticEvent): unknown {
  switch (e.level) {
    case 'raw':
      return { type: 'raw_model_stream_event', data: e.name === 'output_text_delta' ? { type: e.name, delta: 'x' } : { type: e.name } };
    case 'item':
      return { type: 'run_item_stream_event', name: e.name, item: { type: 'message_output_item', rawItem: {}, agent: { name: e.agent } } };
    case 'agent':
      return { type: 'agent_updated_stream_event', agent: { name: e.agent } };
  }
}
