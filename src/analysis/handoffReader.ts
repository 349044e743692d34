import type { RunStore } from '../store/runStore.js';
import type { StoredEvent } from '../store/types.js';
import { RunAnalyzer, type RunAnalysis } from './runAnalyzer.js';

/** The events that make the agent path and the handoffs: the agent changes and the handoff items. */
const HANDOFF_NAMES = ['starting_agent', 'agent_updated', 'handoff_requested', 'handoff_occurred'];
/** What a handoff's reason is made of (the words of its turn), and where a turn begins. */
const TURN_NAMES = ['response_started', 'reasoning_item_created', 'message_output_created', 'starting_agent', 'agent_updated'];

/**
 * The agent path and the handoffs of a run, as the full analysis finds them, read from only the events they
 * need: the blocks whose names include a handoff or agent change (the blocks' summary columns skip the rest),
 * and, for each handoff, the words of its turn, read backwards to the turn's start. A run of millions of
 * events with a few handoffs costs a few blocks.
 */
export async function readHandoffs(store: RunStore, runId: string): Promise<Pick<RunAnalysis, 'agentPath' | 'handoffs'>> {
  const needed = new Map<number, StoredEvent>();
  for await (const event of store.iterateEvents(runId, { filter: { names: HANDOFF_NAMES } })) {
    needed.set(event.seq, event);
    if (event.name === 'handoff_requested') for (const e of await turnBefore(store, runId, event.seq)) needed.set(e.seq, e);
  }
  const analyzer = new RunAnalyzer();
  for (const event of [...needed.values()].sort((a, b) => a.seq - b.seq)) analyzer.add(event);
  const { agentPath, handoffs } = analyzer.result();
  return { agentPath, handoffs };
}

/**
 * The events before `seq` that the analyzer's reason depends on: back to the turn's response_started
 * (included) or the last agent change (which starts a turn too, and is among the handoff events already).
 */
async function turnBefore(store: RunStore, runId: string, seq: number): Promise<StoredEvent[]> {
  const found: StoredEvent[] = [];
  // One event a read: a window asks for as many as its limit, and would read on past the turn's start to fill it.
  for (let from = seq - 1; from >= 0; ) {
    const [event] = await store.readEvents(runId, { fromSeq: from, limit: 1, backward: true, filter: { names: TURN_NAMES } });
    if (!event || event.level === 'agent') break;
    found.push(event);
    if (event.name === 'response_started') break;
    from = event.seq - 1;
  }
  return found;
}
