import type { RunStore } from '../store/runStore.js';
import type { AgentRecord, RunRecord, SeqRange, StoredEvent } from '../store/types.js';

/** A raw model event as the model produced it (the `data` of a `raw_model_stream_event`). */
export interface RecordedModelEvent {
  seq: number;
  tUs: number;
  data: { type: string; [key: string]: unknown };
}

/** A run item event (`run_item_stream_event`): its name and the item's JSON form. */
export interface RecordedItem {
  seq: number;
  name: string;
  item: { type: string; rawItem?: Record<string, unknown>; [key: string]: unknown };
}

/** One model call of a recorded run, as its events show it: from `response_started` to `response_done`. */
export interface RecordedCall {
  call: number;
  agent: string;
  /** When the call was made, on the run's clock: the moment of the event before its first (µs). */
  startUs: number;
  firstSeq: number;
  lastSeq: number;
  events: RecordedModelEvent[];
  /** Whether its `response_done` is there: a call that failed mid-stream has none. */
  complete: boolean;
  /** Events the recording lost where this call's may have been (`RunRecord.gaps`): it cannot be served. */
  lost: SeqRange | null;
  /** The items that came of it (tool calls and outputs, handoffs, messages), up to the next call. */
  items: RecordedItem[];
}

/** What a recorded run holds for re-running and comparing it. */
export interface RecordedRun {
  run: RunRecord;
  agents: AgentRecord[];
  calls: RecordedCall[];
  /** The agents in the order they took over: the starting agent, then each handoff's target. */
  path: string[];
  /** Items that belong to no call (a non-streamed run, whose recording has no model events). */
  looseItems: RecordedItem[];
}

const RESPONSE_STARTED = 'response_started';
const RESPONSE_DONE = 'response_done';

/** Reads a run's calls, items and path in one pass over its events. */
export async function readRecordedRun(store: RunStore, run: RunRecord): Promise<RecordedRun> {
  const calls: RecordedCall[] = [];
  const path: string[] = [];
  const looseItems: RecordedItem[] = [];
  let open: RecordedCall | undefined;
  let previousTUs = 0;
  for await (const event of store.iterateEvents(run.id)) {
    if (event.level === 'raw') {
      const data = (JSON.parse(event.payload) as { data: RecordedModelEvent['data'] }).data;
      // A call opens with response_started, or with a raw event after something else (a model that announces no
      // start). Raw events right after response_done are still its call's: the provider's own twin of each event
      // (`model`) follows the normalized one.
      if (data.type === RESPONSE_STARTED || !open) {
        open = newCall(calls.length + 1, event, previousTUs);
        calls.push(open);
      }
      open.events.push({ seq: event.seq, tUs: event.tUs, data });
      open.lastSeq = event.seq;
      if (data.type === RESPONSE_DONE) open.complete = true;
    } else {
      open = undefined; // an item or agent change: the model's stream is over
    }
    if (event.level === 'item') {
      const item = (JSON.parse(event.payload) as { item: RecordedItem['item'] }).item;
      (calls.at(-1)?.items ?? looseItems).push({ seq: event.seq, name: event.name, item });
    } else if (event.level === 'agent') {
      if (event.agent !== null) path.push(event.agent);
    }
    previousTUs = event.tUs;
  }
  markLostEvents(calls, run.gaps);
  return { run, agents: await store.agents(run.id), calls, path, looseItems };
}

function newCall(call: number, event: StoredEvent, startUs: number): RecordedCall {
  return { call, agent: event.agent ?? '', startUs, firstSeq: event.seq, lastSeq: event.seq, events: [], complete: false, lost: null, items: [] };
}

/**
 * A gap is charged to every call whose events it may have held: from just after the previous call's last
 * event to just before the next call's first (a lost `response_started` would have merged two calls).
 */
function markLostEvents(calls: RecordedCall[], gaps: readonly SeqRange[]): void {
  calls.forEach((call, i) => {
    const from = (calls[i - 1]?.lastSeq ?? -1) + 1;
    const to = (calls[i + 1]?.firstSeq ?? Number.POSITIVE_INFINITY) - 1;
    call.lost = gaps.find((gap) => gap.fromSeq <= to && gap.toSeq >= from) ?? null;
  });
}
