import type { RunStreamEvent } from '@openai/agents';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDemoRun } from '../src/demo/index.js';
import { EVENT_LEVELS, type EventLevel } from '../src/events/levels.js';
import { RecordingRunner, openStore, recordedRunId, recordingStored, replay, type RunStore } from '../src/index.js';
import { JUMP_TARGETS, Playback } from '../src/replay/playback.js';
import type { StoredEvent } from '../src/store/types.js';
import { ManualClock, settleWith } from './support/manualClock.js';
import { allEvents } from './support/sqlite.js';
import { storeSyntheticRun } from './support/syntheticRun.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

/** A consumer written against the real SDK stream: assembles text and tracks handoffs, as a UI would. */
async function consumeLikeAUi(stream: AsyncIterable<RunStreamEvent>) {
  let text = '';
  const path: string[] = [];
  const handoffs: string[] = [];
  const tools: string[] = [];
  for await (const event of stream) {
    if (event.type === 'raw_model_stream_event' && event.data.type === 'output_text_delta') text += event.data.delta;
    if (event.type === 'agent_updated_stream_event') path.push(event.agent.name);
    if (event.type === 'run_item_stream_event' && event.name === 'handoff_occurred' && event.item.type === 'handoff_output_item') {
      handoffs.push(`${event.item.sourceAgent.name} -> ${event.item.targetAgent.name}`);
    }
    if (event.type === 'run_item_stream_event' && event.name === 'tool_called') tools.push((event.item.rawItem as { name: string }).name);
  }
  return { text, path, handoffs, tools };
}

let store: RunStore;
let demoRunId: string;
let liveView: Awaited<ReturnType<typeof consumeLikeAUi>>;
let liveFinalOutput: unknown;
let all: StoredEvent[];

beforeAll(async () => {
  store = await openStore(join(mkdtempSync(join(tmpdir(), 'runtape-replay-')), 'runs.db'));
  const demo = createDemoRun('duplicate-charge-and-outage', { pace: 0 });
  const live = await new RecordingRunner({ tracingDisabled: true }, { db: store }).run(demo.startingAgent, demo.input, { stream: true });
  liveView = await consumeLikeAUi(live);
  await live.completed;
  await recordingStored(live);
  liveFinalOutput = live.finalOutput;
  demoRunId = recordedRunId(live)!;
  all = await allEvents(store, demoRunId);
});

async function drain(playback: Playback): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const e of playback) out.push(e);
  return out;
}

describe('Playback: what is replayed', () => {
  const levelSets: EventLevel[][] = [];
  for (let mask = 1; mask < 1 << EVENT_LEVELS.length; mask++) levelSets.push(EVENT_LEVELS.filter((_, i) => mask & (1 << i)));

  it.each(levelSets.map((levels) => [levels.join('+'), levels] as const))('yields exactly the recorded %s events, in order', async (_, levels) => {
    const replayed = await drain(new Playback(store, demoRunId, { speed: 'instant', filter: { levels } }));
    const expected = all.filter((e) => levels.includes(e.level));
    expect(replayed.length).toBeGreaterThan(0);
    expect(replayed).toEqual(expected);
  });

  it('filters by item name and by agent, alone and combined with levels', async () => {
    const names = ['handoff_occurred', 'tool_called'];
    expect(await drain(new Playback(store, demoRunId, { speed: 'instant', filter: { names } }))).toEqual(all.filter((e) => names.includes(e.name)));
    const agents = ['Billing Agent'];
    expect(await drain(new Playback(store, demoRunId, { speed: 'instant', filter: { agents } }))).toEqual(all.filter((e) => e.agent === 'Billing Agent'));
    const combined = await drain(new Playback(store, demoRunId, { speed: 'instant', filter: { levels: ['item'], agents: ['Triage Agent'] } }));
    expect(combined).toEqual(all.filter((e) => e.level === 'item' && e.agent === 'Triage Agent'));
    expect(combined.map((e) => e.name)).toContain('handoff_requested');
  });

  it('replays a range of seqs', async () => {
    expect(await drain(new Playback(store, demoRunId, { speed: 'instant', afterSeq: 99, toSeq: 120 }))).toEqual(all.slice(100, 121));
  });
});

describe('Playback: when it is replayed', () => {
  // Offsets in µs, with one long silence (a slow tool) in the middle.
  const offsets = [0, 250_000, 300_000, 340_000, 5_340_000, 5_400_000, 5_430_000];
  let timedRun: string;
  beforeAll(async () => {
    timedRun = await storeSyntheticRun(
      store,
      offsets.slice(1).map((tUs) => ({ tUs, level: 'raw', name: 'output_text_delta', agent: 'A' })),
    );
  });

  async function schedule(options: ConstructorParameters<typeof Playback>[2]): Promise<number[]> {
    const clock = new ManualClock();
    const start = clock.now();
    const playback = new Playback(store, timedRun, { ...options, clock });
    const times: number[] = [];
    for (;;) {
      const event = await settleWith(clock, playback.next());
      if (!event) return times;
      times.push(clock.now() - start);
    }
  }

  it('at 1x, each event comes at its recorded offset', async () => {
    expect(await schedule({ speed: 1 })).toEqual(offsets.map((us) => us / 1000));
  });

  it('at 4x, at a quarter of it', async () => {
    expect(await schedule({ speed: 4 })).toEqual(offsets.map((us) => us / 4000));
  });

  it('with an idle limit, long gaps shrink to the limit and the rest keeps its timing', async () => {
    const limited = await schedule({ speed: 1, idleLimitUs: 1_000_000 });
    expect(limited).toEqual([0, 250, 300, 340, 1340, 1400, 1430]);
    expect(await schedule({ speed: 2, idleLimitUs: 1_000_000 })).toEqual(limited.map((ms) => ms / 2));
  });

  it('does not drift: a late consumer does not push later events back', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const playback = new Playback(store, timedRun, { speed: 1, clock });
    await settleWith(clock, playback.next());
    await settleWith(clock, playback.next()); // due at 250 ms
    clock.advance(40); // the consumer took 40 ms to render it
    const third = await settleWith(clock, playback.next());
    expect(third!.tUs).toBe(300_000);
    expect(clock.now() - start).toBe(300);
  });

  it('pausing stops the clock; resuming goes on from where it was', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const playback = new Playback(store, timedRun, { speed: 1, clock });
    await settleWith(clock, playback.next()); // seq 0 at 0
    clock.advance(100);
    playback.pause();
    expect(playback.clockUs()).toBe(100_000);
    clock.advance(10_000); // paused for 10 s
    await playback.play();
    const next = await settleWith(clock, playback.next());
    expect(next!.tUs).toBe(250_000);
    expect(clock.now() - start).toBe(100 + 10_000 + 150);
  });

  it('changing speed mid-gap keeps the position and scales the rest', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const playback = new Playback(store, timedRun, { speed: 1, clock });
    await settleWith(clock, playback.next()); // 0
    clock.advance(50);
    playback.setSpeed(2); // 200 ms of recorded time left to the next event: 100 ms at 2x
    await settleWith(clock, playback.next());
    expect(clock.now() - start).toBe(150);
  });
});

describe('Playback: seek and step', () => {
  it('steps forward and back through the filtered events, paused', async () => {
    const items = all.filter((e) => e.level === 'item');
    const playback = new Playback(store, demoRunId, { filter: { levels: ['item'] }, playing: false });
    expect(await playback.step(1)).toEqual(items[0]);
    expect(await playback.next()).toEqual(items[0]);
    expect(await playback.step(1)).toEqual(items[1]);
    expect(await playback.next()).toEqual(items[1]);
    expect(playback.position).toBe(items[1]!.seq);
    expect(await playback.step(-1)).toEqual(items[0]);
    expect(playback.position).toBe(items[0]!.seq);
    expect(playback.playing).toBe(false);
    await playback.step(1);
    expect(await playback.next()).toEqual(items[1]);
  });

  it('jumps from handoff to handoff, and to tool calls, both ways', async () => {
    const playback = new Playback(store, demoRunId, { playing: false });
    const handoffs = all.filter((e) => e.name === 'handoff_occurred');
    expect(handoffs).toHaveLength(3);
    for (const h of handoffs) expect(await playback.jump(JUMP_TARGETS.handoff, 1)).toEqual(h);
    expect(await playback.jump(JUMP_TARGETS.handoff, 1)).toBeUndefined();
    expect(playback.position).toBe(handoffs[2]!.seq);
    expect(await playback.jump(JUMP_TARGETS.handoff, -1)).toEqual(handoffs[1]);
    expect(await playback.jump(JUMP_TARGETS.tool_call, 1)).toEqual(all.find((e) => e.name === 'tool_called' && e.seq > handoffs[1]!.seq));
  });

  it('seeks to a seq and to a time, then plays on from there', async () => {
    const playback = new Playback(store, demoRunId, { speed: 'instant' });
    await playback.seekSeq(50);
    expect(playback.position).toBe(50);
    expect(await playback.next()).toEqual(all[51]);

    const target = all[120]!.tUs;
    await playback.seekTime(target);
    const firstAtTarget = all.find((e) => e.tUs >= target)!;
    expect(playback.position).toBe(firstAtTarget.seq - 1);
    expect(await playback.next()).toEqual(firstAtTarget);
  });
});

/**
 * The demo store with its window reads held back until released: replies that arrive late, and out of order,
 * as a store on a server may send them. Each read is made when asked; only its answer waits.
 */
function heldReads(real: RunStore): { store: RunStore; settleInReverse: <T>(pending: Promise<T>) => Promise<T> } {
  const held: (() => void)[] = [];
  const store: RunStore = Object.create(real);
  store.readEvents = async (runId, window) => {
    const events = await real.readEvents(runId, window);
    await new Promise<void>((release) => held.push(release));
    return events;
  };
  /** Releases what is held, the latest first, until `pending` settles. */
  const settleInReverse = async <T>(pending: Promise<T>): Promise<T> => {
    let settled = false;
    const done = pending.finally(() => (settled = true));
    while (!settled) {
      await new Promise((resolve) => setImmediate(resolve));
      for (const release of held.splice(0).reverse()) release();
    }
    return done;
  };
  return { store, settleInReverse };
}

describe('Playback: moves over a store that answers late', () => {
  it('applies seeks in the order they were asked, whatever order the replies come in', async () => {
    const { store: slow, settleInReverse } = heldReads(store);
    const playback = new Playback(slow, demoRunId, { speed: 'instant', playing: false });
    const far = playback.seekSeq(200);
    const near = playback.seekSeq(10);
    await settleInReverse(Promise.all([far, near]));
    expect(playback.position).toBe(10);
    await settleInReverse(playback.play());
    expect(await settleInReverse(playback.next())).toEqual(all[11]);
  });

  it('never delivers an event it read before a seek', async () => {
    const { store: slow, settleInReverse } = heldReads(store);
    const playback = new Playback(slow, demoRunId, { speed: 'instant' });
    const next = playback.next(); // reads the run's first window, whose reply is held
    await new Promise((resolve) => setImmediate(resolve));
    const seek = playback.seekSeq(100);
    expect(await settleInReverse(next)).toEqual(all[101]);
    await seek;
  });
});

describe('Playback: the end of a run', () => {
  it('plays a finished run from the top when there is nothing left to play', async () => {
    const playback = new Playback(store, demoRunId, { speed: 'instant', playing: false, stopAtEnd: false });
    await playback.seekSeq(all.at(-1)!.seq);
    await playback.play();
    expect(playback.position).toBe(-1);
    expect(await playback.next()).toEqual(all[0]);
  });
});

describe('replay(): recorded runs as SDK-shaped streams', () => {
  it('feeds a consumer written against the SDK stream the same run the live consumer saw', async () => {
    const replayed = await replay(store, demoRunId, { speed: 'instant' });
    expect(replayed.currentAgent).toEqual({ name: 'Triage Agent' });
    expect(replayed.finalOutput).toBeUndefined();
    const view = await consumeLikeAUi(replayed as unknown as AsyncIterable<RunStreamEvent>);
    await replayed.completed;
    await recordingStored(replayed);
    expect(view).toEqual(liveView);
    expect(view.handoffs).toEqual(['Triage Agent -> Billing Agent', 'Billing Agent -> Triage Agent', 'Triage Agent -> Technical Support Agent']);
    expect(replayed.finalOutput).toEqual(liveFinalOutput);
    expect(replayed.currentAgent).toEqual({ name: 'Technical Support Agent' });
  });

  it('gives the same text through toTextStream, and plays out when only completed is awaited', async () => {
    let text = '';
    const replayed = await replay(store, demoRunId, { speed: 'instant' });
    for await (const chunk of replayed.toTextStream() as ReadableStream<string>) text += chunk;
    expect(text).toBe(liveView.text);

    const unread = await replay(store, 'last', { speed: 'instant' });
    await unread.completed;
    expect(unread.finalOutput).toEqual((await store.getRun(unread.run.id))!.finalOutput);
  });

  it('ends as the recorded run did: events, then the recorded error', async () => {
    const id = await storeSyntheticRun(store, [{ tUs: 10, level: 'raw', name: 'output_text_delta', agent: 'A' }]);
    await store.finishRun(id, { status: 'error', durationUs: 20, lastAgent: 'A', finalOutput: null, error: { name: 'ModelBehaviorError', message: 'bad JSON from the model' }, usage: null });
    const replayed = await replay(store, id, { speed: 'instant' });
    const seen: unknown[] = [];
    await expect(
      (async () => {
        for await (const e of replayed) seen.push(e);
      })(),
    ).rejects.toMatchObject({ name: 'ModelBehaviorError', message: 'bad JSON from the model' });
    expect(seen).toHaveLength(1);
    await expect(replayed.completed).rejects.toThrow('bad JSON from the model');
    await recordingStored(replayed);
  });
});
