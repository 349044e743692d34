import type { ModelCallRecord } from '../capture/types.js';
import type { RunStore } from '../store/runStore.js';
import type { RunRecord, SeqRange } from '../store/types.js';
import { rebuildNonStreamedCalls } from './nonStreamedCalls.js';
import type { RecordedCall, RecordedItem, RecordedModelEvent, RecordedRun } from './recordedTypes.js';

export type { RecordedCall, RecordedItem, RecordedModelEvent, RecordedRun } from './recordedTypes.js';

const RESPONSE_STARTED = 'response_started';
const RESPONSE_DONE = 'response_done';

interface RawEvent extends RecordedModelEvent {
  agent: string | null;
  /** The moment of the event before it (a call's start, when the call's request was not captured). */
  previousTUs: number;
}

/**
 * Reads a run's calls, items and path in one pass over its events. A captured run's calls are its model call
 * records (each with the events from its firstSeq to its lastSeq); an older recording's are read off its
 * events, from `response_started` to `response_done`.
 */
export async function readRecordedRun(store: RunStore, run: RunRecord): Promise<RecordedRun> {
  const raws: RawEvent[] = [];
  const items: RecordedItem[] = [];
  const path: string[] = [];
  let previousTUs = 0;
  for await (const event of store.iterateEvents(run.id)) {
    if (event.level === 'raw') {
      const data = (JSON.parse(event.payload) as { data: RecordedModelEvent['data'] }).data;
      raws.push({ seq: event.seq, tUs: event.tUs, data, agent: event.agent, previousTUs });
    } else if (event.level === 'item') {
      items.push({ seq: event.seq, name: event.name, item: (JSON.parse(event.payload) as { item: RecordedItem['item'] }).item });
    } else if (event.level === 'agent' && event.agent !== null) {
      path.push(event.agent);
    }
    previousTUs = event.tUs;
  }
  // One read of the run's captures for both kinds; unreadable ones fail the re-run (its calls come from them).
  const captured = run.captured ? await store.capturesOfKinds(run.id, ['modelCall', 'handoff']) : {};
  const calls = run.captured ? callsOfRecords(captured.modelCall ?? [], raws) : callsOfEvents(raws);
  // A non-streamed run's calls produced no events: their responses are rebuilt from the items.
  const looseItems = rebuildNonStreamedCalls(calls, assignItems(calls, items));
  markLostEvents(calls, run.gaps);
  return { run, agents: await store.agents(run.id), calls, path, looseItems, handoffs: captured.handoff ?? [] };
}

function callsOfRecords(records: readonly ModelCallRecord[], raws: readonly RawEvent[]): RecordedCall[] {
  return records.map((record) => {
    const events =
      record.firstSeq === null ? [] : raws.filter((e) => e.seq >= record.firstSeq! && e.seq <= record.lastSeq!).map(({ seq, tUs, data }) => ({ seq, tUs, data }));
    return {
      call: record.call,
      agent: record.agent,
      startUs: record.startUs,
      firstSeq: record.firstSeq,
      lastSeq: record.lastSeq,
      events,
      complete: events.some((e) => e.data.type === RESPONSE_DONE),
      lost: null,
      items: [],
      request: record,
    };
  });
}

/**
 * Calls as an uncaptured recording's events show them. A call opens with response_started, or with a raw event
 * after something else (a model that announces no start); raw events right after response_done are still its
 * call's: the provider's own twin of each event (`model`) follows the normalized one.
 */
function callsOfEvents(raws: readonly RawEvent[]): RecordedCall[] {
  const calls: RecordedCall[] = [];
  let open: RecordedCall | undefined;
  let lastSeq = -1;
  for (const { seq, tUs, data, agent, previousTUs } of raws) {
    // Any other event in between (an item, an agent change) took a seq: the model's stream had ended.
    const contiguous = open !== undefined && seq === lastSeq + 1;
    if (data.type === RESPONSE_STARTED || !contiguous) {
      open = { call: calls.length + 1, agent: agent ?? '', startUs: previousTUs, firstSeq: seq, lastSeq: seq, events: [], complete: false, lost: null, items: [], request: null };
      calls.push(open);
    }
    open!.events.push({ seq, tUs, data });
    open!.lastSeq = seq;
    if (data.type === RESPONSE_DONE) open!.complete = true;
    lastSeq = seq;
  }
  return calls;
}

/** Each item goes to the call it came of: the last one that began before it. Returns the items before any call. */
function assignItems(calls: RecordedCall[], items: readonly RecordedItem[]): RecordedItem[] {
  const loose: RecordedItem[] = [];
  const started = calls.filter((c) => c.firstSeq !== null);
  for (const item of items) {
    const call = started.findLast((c) => c.firstSeq! < item.seq);
    (call?.items ?? loose).push(item);
  }
  return loose;
}

/**
 * A gap is charged to every call whose events it may have held: from just after the previous call's last
 * event to just before the next call's first (a lost `response_started` would have merged two calls).
 */
function markLostEvents(calls: RecordedCall[], gaps: readonly SeqRange[]): void {
  calls.forEach((call, i) => {
    if (call.firstSeq === null) return;
    const from = (calls[i - 1]?.lastSeq ?? -1) + 1;
    const to = (calls[i + 1]?.firstSeq ?? Number.POSITIVE_INFINITY) - 1;
    call.lost = gaps.find((gap) => gap.fromSeq <= to && gap.toSeq >= from) ?? null;
  });
}

