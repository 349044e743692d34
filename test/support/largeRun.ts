import { describeStartingAgent } from '../../src/events/describe.js';
import { newRunId, type RunStore } from '../../src/store/runStore.js';
import type { StoredEvent } from '../../src/store/types.js';

const AGENTS = ['Triage Agent', 'Billing Agent', 'Technical Support Agent'];

/**
 * A run of `eventCount` events shaped like a real one, written straight into the store in batches: turns of
 * response_started, text deltas (40 ms apart), response_done and a message; every few turns a tool call,
 * and a handoff to the next agent (a 1.5 s pause before it). Payloads have the SDK's shapes.
 */
export async function storeLargeRun(store: RunStore, eventCount: number, options: { deltasPerTurn?: number; status?: 'completed' | 'running' } = {}): Promise<string> {
  const id = newRunId();
  const deltasPerTurn = options.deltasPerTurn ?? 200;
  await store.createRun({
    id,
    name: `large run (${eventCount} events)`,
    startedAt: Date.now(),
    startingAgent: AGENTS[0]!,
    input: 'large',
    sdkVersion: null,
    tags: ['large'],
    metadata: {},
    agents: AGENTS.map((name, i) => ({
      name,
      instructions: null,
      model: 'scripted',
      handoffDescription: null,
      tools: [{ name: `tool_${i}`, type: 'function' }],
      handoffs: [{ agent: AGENTS[(i + 1) % AGENTS.length]! }],
    })),
  });
  let batch: StoredEvent[] = [{ seq: 0, tUs: 0, level: 'agent', name: 'starting_agent', agent: AGENTS[0]!, payload: describeStartingAgent(AGENTS[0]!).payload }];
  /** Batches ready to be written, after the turn that filled them. */
  const full: StoredEvent[][] = [];
  let seq = 1;
  let t = 0;
  let agentIndex = 0;
  let turn = 0;
  const push = (level: StoredEvent['level'], name: string, payload: unknown, dt: number) => {
    t += dt;
    batch.push({ seq: seq++, tUs: t, level, name, agent: AGENTS[agentIndex]!, payload: JSON.stringify(payload) });
    if (batch.length >= 10_000) {
      full.push(batch);
      batch = [];
    }
  };
  const item = (name: string, rawItem: unknown, extra: Record<string, unknown> = {}) => ({
    type: 'run_item_stream_event',
    name,
    item: { type: `${name}_item`, rawItem, agent: { name: AGENTS[agentIndex] }, ...extra },
  });
  while (seq < eventCount) {
    turn++;
    push('raw', 'response_started', { type: 'raw_model_stream_event', data: { type: 'response_started' } }, 300_000);
    for (let i = 0; i < deltasPerTurn && seq < eventCount; i++) {
      push('raw', 'output_text_delta', { type: 'raw_model_stream_event', data: { type: 'output_text_delta', delta: `word${(turn * 7 + i) % 97} ` } }, 40_000);
    }
    push('raw', 'response_done', { type: 'raw_model_stream_event', data: { type: 'response_done', response: { id: `resp_${turn}`, output: [] } } }, 1_000);
    push('item', 'message_output_created', item('message_output_created', { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: `turn ${turn}` }] }), 500);
    if (turn % 3 === 0) {
      push('item', 'tool_called', item('tool_called', { type: 'function_call', name: `tool_${agentIndex}`, arguments: '{"n":1}' }), 500);
      push('item', 'tool_output', item('tool_output', { type: 'function_call_result', name: `tool_${agentIndex}` }, { output: 'ok' }), 120_000);
    }
    if (turn % 10 === 0) {
      const to = (agentIndex + 1) % AGENTS.length;
      const tool = `transfer_to_${AGENTS[to]!.replace(/ /g, '_')}`;
      push('item', 'handoff_requested', item('handoff_requested', { type: 'function_call', name: tool, arguments: '{"reason":"next"}' }), 1_500_000);
      push('item', 'handoff_occurred', item('handoff_occurred', { type: 'function_call_result', name: tool }, { sourceAgent: { name: AGENTS[agentIndex] }, targetAgent: { name: AGENTS[to] } }), 500);
      agentIndex = to;
      push('agent', 'agent_updated', { type: 'agent_updated_stream_event', agent: { name: AGENTS[agentIndex] } }, 200);
    }
    for (const ready of full.splice(0)) await store.appendEvents(id, ready);
  }
  await store.appendEvents(id, batch);
  if (options.status !== 'running') {
    await store.finishRun(id, { status: 'completed', durationUs: t, lastAgent: AGENTS[agentIndex]!, finalOutput: null, error: null, usage: null });
  }
  return id;
}
