import {
  RunAgentUpdatedStreamEvent,
  RunItemStreamEvent,
  type Agent,
  type RunItem,
  type RunResult,
  type Runner,
} from '@openai/agents';
import { AsyncLocalStorage } from 'node:async_hooks';
import { callIdOf } from '../capture/toolCalls.js';
import type { RunRecording } from './runRecording.js';

/** The stream event name the SDK gives each kind of run item (its `runner/streaming` does the same by class). */
type RunItemStreamEventName = RunItemStreamEvent['name'];

const ITEM_EVENT_NAMES: Record<string, RunItemStreamEventName> = {
  message_output_item: 'message_output_created',
  handoff_call_item: 'handoff_requested',
  handoff_output_item: 'handoff_occurred',
  tool_search_call_item: 'tool_search_called',
  tool_search_output_item: 'tool_search_output_created',
  tool_call_item: 'tool_called',
  tool_call_output_item: 'tool_output',
  reasoning_item: 'reasoning_item_created',
  compaction_item: 'compaction_item_created',
  tool_approval_item: 'tool_approval_requested',
};

/** When the runner's hooks saw things happen during one non-streamed run, on the recording's clock (µs). */
class HookTimes {
  readonly #byCallId = new Map<string, number>();
  readonly #handoffs: number[] = [];
  constructor(readonly recording: RunRecording) {}
  toolStarted(callId: string | null): void {
    if (callId) this.#byCallId.set(`call:${callId}`, this.recording.elapsedUs());
  }
  toolEnded(callId: string | null): void {
    if (callId) this.#byCallId.set(`output:${callId}`, this.recording.elapsedUs());
  }
  handedOff(): void {
    this.#handoffs.push(this.recording.elapsedUs());
  }
  /** The moment an item was seen: its tool call's start or end, or its handoff; undefined when no hook saw it. */
  of(item: RunItem, handoffIndex: number): number | undefined {
    const callId = (item.rawItem as { callId?: unknown }).callId;
    if (item.type === 'tool_call_item' && typeof callId === 'string') return this.#byCallId.get(`call:${callId}`);
    if (item.type === 'tool_call_output_item' && typeof callId === 'string') return this.#byCallId.get(`output:${callId}`);
    if (item.type === 'handoff_output_item') return this.#handoffs[handoffIndex];
    return undefined;
  }
}

const activeRuns = new AsyncLocalStorage<HookTimes>();
let running = 0;
const watched = new WeakSet<Runner>();

/**
 * Runs a non-streamed run with its recording. There is no stream to observe: the run's items are recorded
 * when it resolves, as the item events a streamed run would have carried (and an agent change after each
 * handoff), each stamped with the moment the runner's hooks saw it (a tool call's start and end, a handoff),
 * or, for the rest, the latest such moment before it. No raw model events: a non-streamed run has none.
 */
export async function recordNonStreamedRun<T extends RunResult<any, any>>(runner: Runner, recording: RunRecording, start: () => Promise<T>): Promise<T> {
  watchHooks(runner);
  const times = new HookTimes(recording);
  running++;
  try {
    const result = await activeRuns.run(times, start);
    recordItems(recording, result.newItems, times);
    return result;
  } finally {
    // An enabled AsyncLocalStorage costs every promise of the process a hook: only while such a run goes on.
    if (--running === 0) activeRuns.disable();
  }
}

/** The runner's own hooks, listened to once per runner, beside (never instead of) the application's listeners. */
function watchHooks(runner: Runner): void {
  if (watched.has(runner)) return;
  watched.add(runner);
  runner.on('agent_tool_start', (_context, _agent, _tool, details) => activeRuns.getStore()?.toolStarted(callIdOf(details)));
  runner.on('agent_tool_end', (_context, _agent, _tool, _result, details) => activeRuns.getStore()?.toolEnded(callIdOf(details)));
  runner.on('agent_handoff', () => activeRuns.getStore()?.handedOff());
}

function recordItems(recording: RunRecording, items: readonly RunItem[], times: HookTimes): void {
  let at = 0;
  let handoffs = 0;
  for (const item of items) {
    const name = ITEM_EVENT_NAMES[item.type];
    if (!name) continue;
    at = Math.max(at, times.of(item, handoffs) ?? at);
    recording.eventAt(new RunItemStreamEvent(name, item), at);
    if (item.type === 'handoff_output_item') {
      handoffs++;
      recording.eventAt(new RunAgentUpdatedStreamEvent((item as { targetAgent: Agent<any, any> }).targetAgent), at);
    }
  }
}
