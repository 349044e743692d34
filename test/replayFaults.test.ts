/**
 * Faults on `replay()`: a recorded run (three model calls, through the real runner) replayed with a server
 * error, a cut and a stall placed on its calls. What a consumer sees: the events before the fault, then the
 * error (iteration throws it, `completed` rejects with it, `error` holds it), or a hold of the stall's length.
 */
import { setTracingDisabled } from '@openai/agents';
import { InternalServerError } from 'openai';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RecordingRunner, openStore, recordedRunId, recordingStored, replay, type ReplayedStreamEvent, type RunStore } from '../src/index.js';
import { STARTING_AGENT } from '../src/events/describe.js';
import type { StoredEvent } from '../src/store/types.js';
import { ManualClock } from './support/manualClock.js';
import { ORDERS_QUESTION, ordersApp, scriptedOrdersProvider } from './support/ordersApp.js';
import { allEvents } from './support/sqlite.js';
import { useSharedTempDir } from './support/tempDb.js';

const tempDir = useSharedTempDir();
let store: RunStore;
let runId: string;
/** The events a replay delivers, in order (the recorder's starting-agent record is not one). */
let replayed: StoredEvent[];
/** Each call's raw events, by call number. */
let callEvents: Map<number, StoredEvent[]>;

beforeAll(async () => {
  setTracingDisabled(true);
  store = await openStore(join(tempDir(), 'runs.db'));
  const result = await new RecordingRunner({ modelProvider: scriptedOrdersProvider() }, { db: store }).run(ordersApp().triage, ORDERS_QUESTION, { stream: true });
  for await (const _ of result);
  await recordingStored(result);
  runId = recordedRunId(result)!;
  replayed = (await allEvents(store, runId)).filter((e) => e.name !== STARTING_AGENT);
  const calls = await store.captures(runId, 'modelCall');
  expect(calls).toHaveLength(3);
  callEvents = new Map(calls.map((c) => [c.call, replayed.filter((e) => e.seq >= c.firstSeq! && e.seq <= c.lastSeq!)]));
});

afterAll(async () => {
  await store?.close();
});

async function consume(stream: AsyncIterable<ReplayedStreamEvent>): Promise<{ events: ReplayedStreamEvent[]; thrown: unknown }> {
  const events: ReplayedStreamEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events, thrown: undefined };
  } catch (thrown) {
    return { events, thrown };
  }
}

const asReplayed = (events: StoredEvent[]) => events.map((e) => JSON.parse(e.payload) as ReplayedStreamEvent);
const before = (seq: number) => asReplayed(replayed.filter((e) => e.seq < seq));

it('a server error at call 2: the events before the call, then the openai package InternalServerError, everywhere alike', async () => {
  const result = await replay(store, runId, { speed: 'instant', faults: [{ kind: 'serverError', call: 2, status: 500, message: 'The server had an error' }] });
  const { events, thrown } = await consume(result);
  expect(events).toEqual(before(callEvents.get(2)![0]!.seq));
  expect(thrown).toBeInstanceOf(InternalServerError);
  expect(thrown).toMatchObject({ status: 500, message: '500 The server had an error' });
  await expect(result.completed).rejects.toBe(thrown);
  expect(result.error).toBe(thrown);
  expect(result.finalOutput).toBeUndefined();
  expect(result.cancelled).toBe(false);
});

it('the stream cut after event 2 of call 3: those events, then the TypeError of a dropped connection', async () => {
  const result = await replay(store, runId, { speed: 'instant', faults: [{ kind: 'streamCut', call: 3, afterEvent: 2 }] });
  const { events, thrown } = await consume(result);
  expect(events).toEqual(before(callEvents.get(3)![2]!.seq));
  expect(events.at(-1)).toEqual(asReplayed([callEvents.get(3)![1]!])[0]);
  expect(thrown).toBeInstanceOf(TypeError);
  expect(thrown).toMatchObject({ message: 'terminated', cause: { message: 'other side closed' } });
  await expect(result.completed).rejects.toBe(thrown);
});

it('a cut after the last event of the last call still strikes, a level filter or not', async () => {
  const last = callEvents.get(3)!;
  const result = await replay(store, runId, { speed: 'instant', levels: ['item'], faults: [{ kind: 'streamCut', call: 3, afterEvent: last.length }] });
  const { events, thrown } = await consume(result);
  expect(thrown).toBeInstanceOf(TypeError);
  expect(events).toEqual(before(last.at(-1)!.seq + 1).filter((e) => e.type === 'run_item_stream_event'));
});

it('a stall after event 1 of call 1 holds the replay for its ms on the replay clock (even at instant speed), then it goes on to the end', async () => {
  const clock = new ManualClock();
  const result = await replay(store, runId, { speed: 'instant', clock, faults: [{ kind: 'stall', call: 1, afterEvent: 1, ms: 2500 }] });
  const events: ReplayedStreamEvent[] = [];
  const consumed = (async () => {
    for await (const event of result) events.push(event);
  })();
  while (clock.pendingTimers === 0) await new Promise((resolve) => setImmediate(resolve));
  // Held: the events up to the stall are out, nothing after them.
  expect(events).toEqual(before(callEvents.get(1)![1]!.seq));
  const heldAt = clock.now();
  expect(clock.runNextTimer()).toBe(true);
  expect(clock.now() - heldAt).toBe(2500);
  await consumed;
  await result.completed;
  expect(events).toEqual(asReplayed(replayed));
  expect(result.error).toBeNull();
});

it('a fault the recording cannot hold: replay() fails in one line, naming it', async () => {
  await expect(replay(store, runId, { faults: [{ kind: 'serverError', call: 4, status: 500, message: 'x' }] })).rejects.toThrow(
    `fault serverError at call 4: run ${runId} has no such model call (it has 3)`,
  );
  await expect(replay(store, runId, { faults: [{ kind: 'serverError', call: 1, status: 200, message: 'x' }] })).rejects.toThrow(
    'fault serverError at call 1: status 200 is no HTTP error status (400-599)',
  );
});

it('a fault before where the replay starts is in the past and does not strike', async () => {
  const start = callEvents.get(2)![0]!.seq;
  const result = await replay(store, runId, { speed: 'instant', afterSeq: start, faults: [{ kind: 'serverError', call: 1, status: 500, message: 'x' }] });
  const { events, thrown } = await consume(result);
  expect(thrown).toBeUndefined();
  expect(events).toEqual(asReplayed(replayed.filter((e) => e.seq > start)));
});
