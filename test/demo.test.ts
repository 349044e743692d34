import { Agent, Handoff, Runner, type RunStreamEvent } from '@openai/agents';
import { ScriptedModel } from '@openai/agents/testing';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { analyzeEvents } from '../src/analysis/runAnalyzer.js';
import { createIdSource } from '../src/demo/ids.js';
import { createDemoRun, demoScenarios, DemoModel, realTimeClock, SimulatedClock, type DemoRun } from '../src/demo/index.js';
import { createPacer } from '../src/demo/pacing.js';
import { seededRandom } from '../src/demo/random.js';
import { scriptedTurn } from '../src/demo/turn.js';
import { RecordingRunner, openStore, recordedRunId, recordingStored, type StoredEvent } from '../src/index.js';
import { allEvents } from './support/sqlite.js';
import { useTempDir } from './support/tempDb.js';

const tempDir = useTempDir();

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

/** One stream event as a recorder would see it: what, from which agent, when it arrived. */
interface Seen {
  event: RunStreamEvent;
  agent: string;
  at: number;
}

async function collect(startingAgent: Agent<any, any>, input: string) {
  const result = await new Runner().run(startingAgent, input, { stream: true });
  const seen: Seen[] = [];
  let agent = startingAgent.name;
  for await (const event of result) {
    if (event.type === 'agent_updated_stream_event') agent = event.agent.name;
    seen.push({ event, agent, at: performance.now() });
  }
  await result.completed;
  return { seen, finalOutput: result.finalOutput as string };
}

const itemsNamed = (seen: Seen[], name: string) =>
  seen.flatMap(({ event }) => (event.type === 'run_item_stream_event' && event.name === name ? [event.item] : []));

const handoffPath = (seen: Seen[]) =>
  seen.flatMap(({ event }) => (event.type === 'agent_updated_stream_event' ? [event.agent.name] : []));

/** Text deltas grouped by model turn (a turn starts at response_started). */
function deltasPerTurn(seen: Seen[]): string[] {
  const turns: string[] = [];
  for (const { event } of seen) {
    if (event.type !== 'raw_model_stream_event') continue;
    if (event.data.type === 'response_started') turns.push('');
    if (event.data.type === 'output_text_delta') turns[turns.length - 1] += event.data.delta;
  }
  return turns;
}

/** Every scripted model reachable from the starting agent, so tests can check all turns were used. */
function modelsOf(start: Agent<any, any>): ScriptedModel[] {
  const agents = new Set<Agent<any, any>>();
  const visit = (agent: Agent<any, any>) => {
    if (agents.has(agent)) return;
    agents.add(agent);
    for (const h of agent.handoffs) visit(h instanceof Handoff ? h.agent : h);
  };
  visit(start);
  return [...agents].map((a) => a.model as ScriptedModel);
}

const expected: Record<string, { path: string[]; tools: string[] }> = {
  'duplicate-charge-and-outage': {
    path: ['Billing Agent', 'Triage Agent', 'Technical Support Agent'],
    tools: ['find_duplicate_charges', 'issue_refund', 'check_service_status'],
  },
  'annual-plan-quote': {
    path: ['Billing Agent'],
    tools: ['quote_plan', 'quote_plan', 'quote_plan'],
  },
  'latency-regression': {
    path: ['Technical Support Agent'],
    tools: ['compute_latency_stats', 'check_service_status'],
  },
};

describe('demo scenarios at pace 0', () => {
  it('lists every scripted scenario', () => {
    expect(demoScenarios.map((s) => s.name)).toEqual(Object.keys(expected));
  });

  it.each(demoScenarios.map((s) => s.name))('%s follows its agent path and streams its answer', async (name) => {
    const run: DemoRun = createDemoRun(name, { pace: 0 });
    expect(run.startingAgent.name).toBe('Triage Agent');
    const { seen, finalOutput } = await collect(run.startingAgent, run.input);

    expect(handoffPath(seen)).toEqual(expected[name]!.path);
    expect(itemsNamed(seen, 'handoff_occurred')).toHaveLength(expected[name]!.path.length);
    for (const item of itemsNamed(seen, 'handoff_requested')) {
      const args = JSON.parse((item.rawItem as { arguments: string }).arguments) as { reason?: string };
      expect(args.reason).toMatch(/\w+ \w+/);
    }

    const called = itemsNamed(seen, 'tool_called').map((i) => i.rawItem as { name: string; callId: string });
    const outputs = itemsNamed(seen, 'tool_output').map((i) => i.rawItem as { callId: string });
    expect(called.map((c) => c.name)).toEqual(expected[name]!.tools);
    expect(outputs.map((o) => o.callId).sort()).toEqual(called.map((c) => c.callId).sort());

    expect(itemsNamed(seen, 'reasoning_item_created').length).toBeGreaterThan(0);

    // Every streamed message matches its final item, and the last one is the run's output.
    const streamed = deltasPerTurn(seen).filter((text) => text.length > 0);
    const messages = itemsNamed(seen, 'message_output_created').map(
      (i) => (i.rawItem as { content: { text: string }[] }).content[0]!.text,
    );
    expect(streamed).toEqual(messages);
    expect(streamed.at(-1)).toBe(finalOutput);

    for (const model of modelsOf(run.startingAgent)) model.assertComplete();
  });

  it('hands off at least twice, including back to an earlier agent, in the main scenario', async () => {
    const run = createDemoRun('duplicate-charge-and-outage', { pace: 0 });
    const { seen } = await collect(run.startingAgent, run.input);
    const visited = [run.startingAgent.name, ...handoffPath(seen)];
    expect(visited.length - 1).toBeGreaterThanOrEqual(2);
    const backHandoff = visited.some((agent, i) => i > 0 && visited.slice(0, i - 1).includes(agent));
    expect(backHandoff).toBe(true);
  });

  it('is deterministic for a seed and varies with it', async () => {
    const itemsOf = async (seed: number) => {
      const run = createDemoRun('annual-plan-quote', { pace: 0, seed });
      const { seen } = await collect(run.startingAgent, run.input);
      return JSON.stringify(seen.map(({ event }) => (event.type === 'run_item_stream_event' ? event.item : null)));
    };
    const first = await itemsOf(7);
    expect(await itemsOf(7)).toBe(first);
    expect(await itemsOf(8)).not.toBe(first);
  });

  it('names the model each agent stands in for', () => {
    const run = createDemoRun('latency-regression', { pace: 0 });
    expect(run.startingAgent.model).toBeInstanceOf(DemoModel);
    expect((run.startingAgent.model as DemoModel).name).toMatch(/^scripted:/);
  });

  it('rejects unknown scenarios and invalid pace', () => {
    expect(() => createDemoRun('nope')).toThrow(/Unknown demo scenario "nope"/);
    expect(() => createDemoRun('latency-regression', { pace: -1 })).toThrow(RangeError);
  });
});

describe('demo timing at pace 1 in real time (--live)', () => {
  it('delays the first token and spaces later deltas by tens of ms', async () => {
    const model = new DemoModel('scripted:gpt-4.1-mini');
    const context = { pacer: createPacer(1, seededRandom(42), realTimeClock), ids: createIdSource(seededRandom(42)) };
    model.enqueue(scriptedTurn({ text: 'Sure, the deploy finished and every check passed' }, context));
    const agent = new Agent({ name: 'Timing Agent', instructions: 'Answer briefly.', model });

    const { seen } = await collect(agent, 'Did the deploy work?');
    const timeOf = (type: string) =>
      seen.filter(({ event }) => event.type === 'raw_model_stream_event' && event.data.type === type).map((s) => s.at);
    const [started] = timeOf('response_started');
    const deltas = timeOf('output_text_delta');
    expect(deltas.length).toBeGreaterThan(5);

    // Scripted at ~320 ms (±25%) for the first token and ~35 ms (±60%) between the rest.
    const firstGap = deltas[0]! - started!;
    const gaps = deltas.slice(1).map((t, i) => t - deltas[i]!);
    const medianGap = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)]!;
    expect(firstGap).toBeGreaterThanOrEqual(100);
    expect(medianGap).toBeGreaterThanOrEqual(10);
    expect(medianGap).toBeLessThan(firstGap / 2);
  });
});

describe('demo timing at pace 1 on a simulated clock (the default)', () => {
  it('lets concurrent sleeps overlap and sequential ones add up', async () => {
    const clock = new SimulatedClock(1_000_000);
    const woke: [string, number][] = [];
    const sleeper = async (name: string, ...sleeps: number[]) => {
      for (const ms of sleeps) await clock.sleep(ms);
      woke.push([name, clock.now()]);
    };
    await Promise.all([sleeper('a', 100, 50), sleeper('b', 120), sleeper('c', 0), sleeper('d', 150)]);
    // d and a both end at 150: d asked first (at 0, a at 100).
    expect(woke).toEqual([['c', 0], ['b', 120], ['d', 150], ['a', 150]]);
    expect(clock.wallNow()).toBe(1_000_150);
  });

  /**
   * Records a demo run as `runtape demo` does, on the run's own clock; counts the real timers the run set
   * (the recorder's own, which hands batches to its writer thread, aside: it delays nothing; and the SDK's
   * trace export loop, which re-arms itself every 5 s from import on, whatever runs).
   */
  async function recordDemo(scenario: string, pace = 1) {
    const store = await openStore(join(tempDir(), 'demo.db'));
    const demo = createDemoRun(scenario, { pace });
    const realSetTimeout = globalThis.setTimeout;
    let realTimers = 0;
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((...args: Parameters<typeof setTimeout>) => {
      const stack = new Error().stack!;
      if (!stack.includes('batchHandover') && !stack.includes('runExportLoop')) realTimers++;
      return realSetTimeout(...args);
    }) as typeof setTimeout);
    try {
      const result = await new RecordingRunner({}, { db: store, clock: demo.clock }).run(demo.startingAgent, demo.input, { stream: true });
      await result.completed;
      setTimeoutSpy.mockRestore();
      await recordingStored(result);
      const run = (await store.getRun(recordedRunId(result)!))!;
      return { run, events: await allEvents(store, run.id), clock: demo.clock, realTimers };
    } finally {
      setTimeoutSpy.mockRestore();
      await store.close();
    }
  }

  const ms = (us: number) => us / 1000;
  const named = (events: StoredEvent[], name: string) => events.filter((e) => e.name === name);
  const callIdOf = (event: StoredEvent) => (JSON.parse(event.payload) as { item: { rawItem: { callId: string } } }).item.rawItem.callId;

  /** Each model turn's text deltas, after the turn's response_started. */
  function textTurns(events: StoredEvent[]): { started: StoredEvent; deltas: StoredEvent[] }[] {
    const turns: { started: StoredEvent; deltas: StoredEvent[] }[] = [];
    for (const event of events) {
      if (event.name === 'response_started') turns.push({ started: event, deltas: [] });
      if (event.name === 'output_text_delta') turns.at(-1)!.deltas.push(event);
    }
    return turns.filter((turn) => turn.deltas.length > 0);
  }

  it('records the main run with its scripted latencies, and waits for none of them', async () => {
    const { run, events, clock, realTimers } = await recordDemo('duplicate-charge-and-outage');
    // No real time passes: the latencies are sleeps on the simulated clock, not timers.
    expect(realTimers).toBe(0);
    expect(run.status).toBe('completed');

    // The recorded timeline is the simulated one, from the run's start to its end.
    expect(run.startedAt).toBe(clock.wallNow() - clock.now());
    expect(run.durationUs).toBe(Math.round(clock.now() * 1000));
    expect(ms((await analyzeEvents(fromArray(events))).ttftUs!)).toBeGreaterThan(300);

    // As scripted (src/demo/turn.ts): the first token ~320 ms (±25%) after the response starts; then a token
    // every ~35 ms (±60%), or ~125 ms after a sentence.
    const turns = textTurns(events);
    expect(turns.length).toBeGreaterThanOrEqual(2);
    const gaps: number[] = [];
    for (const { started, deltas } of turns) {
      expect(ms(deltas[0]!.tUs - started.tUs)).toBeGreaterThanOrEqual(240);
      gaps.push(...deltas.slice(1).map((delta, i) => ms(delta.tUs - deltas[i]!.tUs)));
    }
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(14);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(200);
    expect(gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)]).toBeLessThanOrEqual(56);

    // Each tool answers after its backend latency: 180 ms (billing) or 240 ms (technical), ±25%.
    const outputs = named(events, 'tool_output');
    const calls = named(events, 'tool_called');
    expect(calls).toHaveLength(3);
    for (const call of calls) {
      const output = outputs.find((o) => callIdOf(o) === callIdOf(call))!;
      expect(ms(output.tUs - call.tUs)).toBeGreaterThanOrEqual(135);
      expect(ms(output.tUs - call.tUs)).toBeLessThanOrEqual(300);
    }
  });

  it('runs tools called in parallel at once, as real time would', async () => {
    const { events, realTimers } = await recordDemo('latency-regression');
    expect(realTimers).toBe(0);
    const calls = named(events, 'tool_called');
    const outputs = named(events, 'tool_output');
    expect(calls).toHaveLength(2);
    expect(outputs).toHaveLength(2);
    // Both take 240 ms ±25%: done together within 300 ms of the calls, where one after the other takes 360 or more.
    for (const output of outputs) {
      expect(ms(output.tUs - calls[1]!.tUs)).toBeGreaterThanOrEqual(180);
      expect(ms(output.tUs - calls[0]!.tUs)).toBeLessThanOrEqual(300);
    }
  });

  it('scales the whole recorded timeline by the pace', async () => {
    const realistic = await recordDemo('annual-plan-quote');
    const halved = await recordDemo('annual-plan-quote', 0.5);
    // The same seed draws the same jitter, so every offset is half the realistic one (to the µs, rounding aside).
    expect(halved.events.map((e) => e.name)).toEqual(realistic.events.map((e) => e.name));
    for (const [i, event] of halved.events.entries()) expect(Math.abs(event.tUs - realistic.events[i]!.tUs / 2)).toBeLessThanOrEqual(1);
    expect(realistic.run.durationUs).toBeGreaterThan(3_000_000);
  });
});
