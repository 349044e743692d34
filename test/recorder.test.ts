import { Agent, Runner, RunState, StreamedRunResult, run, tool, type RunStreamEvent } from '@openai/agents';
import { ScriptedModel, assistantMessage, functionCall, modelResponse, modelStream } from '@openai/agents/testing';
import { z } from 'zod';
import Database from 'better-sqlite3';
import { AsyncLocalStorage, createHook } from 'node:async_hooks';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordingRunner, openStore, type RunStore, record, recordedRunId, recordingStored } from '../src/index.js';
import { IDLE_ASK_MS } from '../src/recorder/writer/protocol.js';
import { runCli } from './support/cli.js';
import { allEvents } from './support/sqlite.js';
import { streamingAgent, twoAgentRun } from './support/scriptedTurns.js';
import { useTempDir } from './support/tempDb.js';

const tempDir = useTempDir();

function openTestStore(): Promise<RunStore> {
  return openStore(join(tempDir(), 'runs.db'));
}

/** The stored record of each event the application saw, compared field by field with the event itself. */
async function expectStoredAsSeen(store: RunStore, runId: string, seen: RunStreamEvent[]) {
  const stored = await allEvents(store, runId);
  expect(stored.map((e) => e.seq)).toEqual(stored.map((_, i) => i));
  expect(stored[0]).toMatchObject({ level: 'agent', name: 'starting_agent', agent: 'Triage' });
  expect(stored.slice(1).map((e) => e.payload)).toEqual(seen.map((e) => JSON.stringify(e)));
  expect(stored.slice(1).map((e) => JSON.parse(e.payload).type)).toEqual(seen.map((e) => e.type));
  const ts = stored.map((e) => e.tUs);
  expect([...ts].sort((a, b) => a - b)).toEqual(ts);
  return stored;
}

describe('RecordingRunner', () => {
  it('stores exactly the events the application saw, in order, with the active agent', async () => {
    const store = await openTestStore();
    const { triage, text } = twoAgentRun();
    const runner = new RecordingRunner({ tracingDisabled: true }, { db: store, name: 'weather', tags: ['t1'] });
    const result = await runner.run(triage, 'Weather in Paris?', { stream: true });
    const seen: RunStreamEvent[] = [];
    for await (const event of result) seen.push(event);
    await result.completed;
    await recordingStored(result);

    expect(result.finalOutput).toBe(text);
    expect(result.currentAgent?.name).toBe('Weather Agent');
    const runId = recordedRunId(result)!;
    const stored = await expectStoredAsSeen(store, runId, seen);

    // Events after the handoff belong to the new agent; the handoff items to the agent that handed off.
    const updated = stored.findIndex((e) => e.name === 'agent_updated');
    expect(stored.slice(0, updated).every((e) => e.agent === 'Triage')).toBe(true);
    expect(stored.slice(updated).every((e) => e.agent === 'Weather Agent')).toBe(true);
    expect(stored.map((e) => e.name)).toEqual(expect.arrayContaining(['handoff_requested', 'handoff_occurred', 'tool_called', 'tool_output']));

    const run = (await store.getRun(runId))!;
    expect(run).toMatchObject({
      name: 'weather',
      status: 'completed',
      startingAgent: 'Triage',
      lastAgent: 'Weather Agent',
      input: 'Weather in Paris?',
      finalOutput: text,
      tags: ['t1'],
      eventCount: stored.length,
      recording: 'complete',
      error: null,
    });
    expect(run.durationUs).toBeGreaterThanOrEqual(stored.at(-1)!.tUs);
    expect(run.sdkVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(run.usage).toMatchObject({ requests: 3, totalTokens: 57 });

    const agents = await store.agents(runId);
    expect(agents.map((a) => a.name)).toEqual(['Triage', 'Weather Agent']);
    expect(agents[0]).toMatchObject({ instructions: 'Route the user to the right specialist.', handoffs: [{ agent: 'Weather Agent' }] });
    expect(agents[1]!.tools[0]).toMatchObject({ name: 'get_weather', type: 'function', description: 'Current weather for a city' });
    expect(agents[1]!.tools[0]!.parameters).toMatchObject({ type: 'object', properties: { city: { type: 'string' } } });
    expect(agents[1]!.handoffDescription).toBe('Knows the weather');
  });

  it('records a result of the SDK\'s own run() wrapped with record()', async () => {
    const store = await openTestStore();
    const { triage, text } = twoAgentRun();
    const result = record(await run(triage, 'Weather in Paris?', { stream: true }), { startingAgent: triage, input: 'Weather in Paris?', db: store, name: 'wrapped' });
    const seen: RunStreamEvent[] = [];
    for await (const event of result) seen.push(event);
    await result.completed;
    await recordingStored(result);
    expect(result.finalOutput).toBe(text);
    const runId = recordedRunId(result)!;
    await expectStoredAsSeen(store, runId, seen);
    expect(await store.getRun(runId)).toMatchObject({ name: 'wrapped', status: 'completed', input: 'Weather in Paris?', lastAgent: 'Weather Agent' });
  });

  it('takes every timestamp from the clock it is given', async () => {
    const store = await openTestStore();
    const { triage } = twoAgentRun();
    // A second passes each time the clock is read; the run started at noon on 2025-06-18.
    const startedAt = Date.UTC(2025, 5, 18, 12);
    let reads = 0;
    const clock = { now: () => 1_000 * ++reads, wallNow: () => startedAt };
    const result = await new RecordingRunner({ tracingDisabled: true }, { db: store, clock }).run(triage, 'Weather in Paris?', { stream: true });
    for await (const _event of result);
    await result.completed;
    await recordingStored(result);

    const runId = recordedRunId(result)!;
    const ts = (await allEvents(store, runId)).map((e) => e.tUs);
    expect(ts.every((t, i) => t % 1_000_000 === 0 && (i === 0 || t > ts[i - 1]!))).toBe(true);
    const run = (await store.getRun(runId))!;
    expect(run.startedAt).toBe(startedAt - 1_000); // the clock was read once before the run began
    expect(run.durationUs! % 1_000_000).toBe(0);
    expect(run.durationUs).toBeGreaterThan(ts.at(-1)!);
  });

  it('stores each of several runs streamed at once by one process exactly as its application saw it', async () => {
    // Their events interleave in the writer's batches: each run's deltas are pieces of the batches' texts that
    // other runs' deltas and raw events (as JSON) lie between, and each run spans several batches.
    const store = await openTestStore();
    const runner = new RecordingRunner({ tracingDisabled: true }, { db: store });
    const words = (run: number) => Array.from({ length: 1_500 }, (_, i) => `${run}:${i} ${'é🤖"\n'.slice(0, (i + run) % 5)}`);
    /** An agent whose every fifth delta is a raw event of another shape (a provider's item id with it). */
    const agentOf = (run: number) => {
      const deltas = words(run);
      async function* events() {
        yield { type: 'response_started' };
        for (const [i, delta] of deltas.entries()) {
          await Promise.resolve();
          yield i % 5 === 4 ? { type: 'output_text_delta', delta, itemId: `msg_${run}` } : { type: 'output_text_delta', delta };
        }
        yield { type: 'response_done', response: { id: `resp_${run}`, usage: { requests: 1, inputTokens: 1, outputTokens: 1, totalTokens: 2 }, output: [assistantMessage(deltas.join(''))] } };
      }
      return new Agent({ name: `Streamer ${run}`, model: new ScriptedModel([modelStream(events() as never)]) });
    };
    const runs = await Promise.all(
      [0, 1, 2].map(async (run) => {
        const result = await runner.run(agentOf(run), 'Go on.', { stream: true });
        const seen: RunStreamEvent[] = [];
        for await (const event of result) seen.push(event);
        await recordingStored(result);
        return { run, result, seen };
      }),
    );
    for (const { run, result, seen } of runs) {
      const stored = await allEvents(store, recordedRunId(result)!);
      expect(stored[0]).toMatchObject({ level: 'agent', name: 'starting_agent', agent: `Streamer ${run}` });
      expect(stored.slice(1).map((e) => e.payload)).toEqual(seen.map((e) => JSON.stringify(e)));
      expect(stored.map((e) => e.seq)).toEqual(stored.map((_, i) => i));
      expect(seen.filter((e) => e.type === 'raw_model_stream_event' && e.data.type === 'output_text_delta')).toHaveLength(1_500);
    }
  });

  it('stores a raw event whose JSON throws as a note saying so, in its place, and the rest of the run as seen', async () => {
    const store = await openTestStore();
    async function* events() {
      yield { type: 'response_started' };
      yield { type: 'output_text_delta', delta: 'Hello' };
      // A provider payload with a getter that throws: JSON.stringify(event) throws where the SDK produced it.
      yield {
        type: 'provider_note',
        get detail(): string {
          throw new Error('detail unavailable');
        },
      };
      yield { type: 'output_text_delta', delta: ' world' };
      yield { type: 'response_done', response: { id: 'resp_1', usage: { requests: 1, inputTokens: 1, outputTokens: 1, totalTokens: 2 }, output: [assistantMessage('Hello world')] } };
    }
    const agent = new Agent({ name: 'Streamer', model: new ScriptedModel([modelStream(events() as never)]) });
    const result = await new RecordingRunner({ tracingDisabled: true }, { db: store }).run(agent, 'Go on.', { stream: true });
    const seen: RunStreamEvent[] = [];
    for await (const event of result) seen.push(event);
    await recordingStored(result);

    const stored = await allEvents(store, recordedRunId(result)!);
    expect(stored.map((e) => e.seq)).toEqual(stored.map((_, i) => i));
    const note = seen.findIndex((e) => e.type === 'raw_model_stream_event' && (e.data as { type: string }).type === 'provider_note');
    expect(note).toBeGreaterThan(0);
    expect(JSON.parse(stored[note + 1]!.payload)).toEqual({ unserializable: 'detail unavailable' });
    expect(stored.filter((_, i) => i !== note + 1).slice(1).map((e) => e.payload)).toEqual(seen.filter((_, i) => i !== note).map((e) => JSON.stringify(e)));
    expect((await store.getRun(recordedRunId(result)!))!.status).toBe('completed');
  });

  it('records every event when the application only awaits completed', async () => {
    const store = await openTestStore();
    const { triage, text } = twoAgentRun();
    const live = await new RecordingRunner({ tracingDisabled: true }, { db: store }).run(triage, 'hi', { stream: true });
    await live.completed;
    await recordingStored(live);
    expect(live.finalOutput).toBe(text);
    const stored = await allEvents(store, recordedRunId(live)!);
    expect(stored.filter((e) => e.name === 'output_text_delta').map((e) => JSON.parse(e.payload).data.delta).join('')).toBe(text);
    expect(stored.at(-1)!.name).toBe('message_output_created');
    expect((await store.getRun(recordedRunId(live)!))!.status).toBe('completed');
  });

  it('gives the application the same text through toTextStream', async () => {
    const store = await openTestStore();
    const { triage, text } = twoAgentRun();
    const result = await new RecordingRunner({ tracingDisabled: true }, { db: store }).run(triage, 'hi', { stream: true });
    let streamed = '';
    for await (const chunk of result.toTextStream()) streamed += chunk;
    await result.completed;
    await recordingStored(result);
    expect(streamed).toBe(text);
    // The application holds the SDK's own result: its class, and its stream's state after a full read.
    expect(result.constructor).toBe(StreamedRunResult);
    expect((result.toStream() as unknown as ReadableStream).locked).toBe(false);
  });

  it('records an error mid-stream: delivered events stored, status error with name and message', async () => {
    const store = await openTestStore();
    const { triage } = twoAgentRun({ failMidText: true });
    const result = await new RecordingRunner({ tracingDisabled: true }, { db: store }).run(triage, 'hi', { stream: true });
    const seen: RunStreamEvent[] = [];
    await expect(
      (async () => {
        for await (const event of result) seen.push(event);
      })(),
    ).rejects.toThrow('model connection reset');
    await expect(result.completed).rejects.toThrow('model connection reset');
    await recordingStored(result);
    const runId = recordedRunId(result)!;
    await expectStoredAsSeen(store, runId, seen);
    const run = (await store.getRun(runId))!;
    expect(run.status).toBe('error');
    expect(run.error).toMatchObject({ name: 'Error', message: 'model connection reset' });
    expect(run.error!.stack).toContain('model connection reset');
  });

  it('records a consumer that breaks out as cancelled', async () => {
    const store = await openTestStore();
    const { triage } = twoAgentRun();
    const result = await new RecordingRunner({ tracingDisabled: true }, { db: store }).run(triage, 'hi', { stream: true });
    const seen: RunStreamEvent[] = [];
    for await (const event of result) {
      seen.push(event);
      if (event.type === 'agent_updated_stream_event') break;
    }
    const runId = recordedRunId(result)!;
    await recordingStored(result);
    expect(await store.getRun(runId)).toMatchObject({ status: 'cancelled', cancelledBy: 'consumer' });
    expect(runCli(['show', runId], { db: store.location }).stdout).toMatch(/cancelled \(by its consumer\)/);
    expect(result.cancelled).toBe(true);
    const stored = await allEvents(store, runId);
    expect(stored.slice(1, seen.length + 1).map((e) => e.payload)).toEqual(seen.map((e) => JSON.stringify(e)));
  });

  it('records a tool approval as interrupted with its RunState, and links the run resumed from that state', async () => {
    const store = await openTestStore();
    const { triage, text } = twoAgentRun({ needsApproval: true });
    const runner = new RecordingRunner({ tracingDisabled: true }, { db: store });
    const first = await runner.run(triage, 'hi', { stream: true });
    await first.completed;
    await recordingStored(first);
    expect(first.interruptions).toHaveLength(1);
    const firstRun = (await store.getRun(recordedRunId(first)!))!;
    expect(firstRun.status).toBe('interrupted');
    expect((await allEvents(store, firstRun.id)).some((e) => e.name === 'tool_approval_requested')).toBe(true);

    expect(firstRun.runState).toContain('"next_step_interruption"');

    // Resumed as an application resumes in another process: from the serialized state, with a new runner.
    const state = await RunState.fromString(triage, firstRun.runState!);
    state.approve(state.getInterruptions()[0]!);
    const resumed = await new RecordingRunner({ tracingDisabled: true }, { db: store }).run(triage, state, { stream: true });
    await resumed.completed;
    await recordingStored(resumed);
    expect(resumed.finalOutput).toBe(text);
    const resumedRun = (await store.getRun(recordedRunId(resumed)!))!;
    expect(resumedRun).toMatchObject({
      status: 'completed',
      startingAgent: 'Weather Agent',
      input: { resumedFrom: 'RunState' },
      resumedFrom: firstRun.id,
    });
    expect(runCli(['show', resumedRun.id], { db: store.location }).stdout).toContain(`resumes    run ${firstRun.id} (interrupted for approval)`);
  });

  it('records a non-streamed run: its items, an agent change after the handoff, tool items when their tools ran', async () => {
    const store = await openTestStore();
    // The same two agents as twoAgentRun(), on models that answer non-streamed calls.
    const text = 'It is 18°C and sunny in Paris.';
    const weather = new Agent({
      name: 'Weather Agent',
      model: new ScriptedModel([
        modelResponse([functionCall('get_weather', { city: 'Paris' }, { callId: 'call_weather_1' })]),
        modelResponse([assistantMessage(text)]),
      ]),
      tools: [tool({ name: 'get_weather', description: 'Current weather for a city', parameters: z.object({ city: z.string() }), execute: async ({ city }) => `${city}: 18°C, sunny` })],
    });
    const triage = new Agent({
      name: 'Triage',
      model: new ScriptedModel([modelResponse([functionCall('transfer_to_Weather_Agent', {}, { callId: 'call_handoff_1' })])]),
      handoffs: [weather],
    });
    const runner = new RecordingRunner({ tracingDisabled: true }, { db: store, name: 'not streamed' });
    const result = await runner.run(triage, 'Weather in Paris?');
    await recordingStored(result);
    expect(result.finalOutput).toBe(text);

    const runId = recordedRunId(result)!;
    expect(await store.getRun(runId)).toMatchObject({ name: 'not streamed', status: 'completed', finalOutput: text, lastAgent: 'Weather Agent', input: 'Weather in Paris?' });
    const stored = await allEvents(store, runId);
    expect(stored.map((e) => `${e.agent} ${e.name}`)).toEqual([
      'Triage starting_agent',
      'Triage handoff_requested',
      'Triage handoff_occurred',
      'Weather Agent agent_updated',
      'Weather Agent tool_called',
      'Weather Agent tool_output',
      'Weather Agent message_output_created',
    ]);
    // Each item as the SDK's own stream event would have carried it.
    const message = result.newItems.at(-1)!;
    expect(JSON.parse(stored.at(-1)!.payload)).toEqual(JSON.parse(JSON.stringify({ name: 'message_output_created', item: message, type: 'run_item_stream_event' })));
    const t = Object.fromEntries(stored.map((e) => [e.name, e.tUs]));
    expect(t.tool_output!).toBeGreaterThanOrEqual(t.tool_called!);
    expect(t.tool_called!).toBeGreaterThanOrEqual(t.handoff_occurred!);
  });

  it('records a non-streamed run that fails as an error, and the application gets the error', async () => {
    const store = await openTestStore();
    const agent = new Agent({ name: 'Broken', model: new ScriptedModel([]) });
    const runner = new RecordingRunner({ tracingDisabled: true }, { db: store });
    await expect(runner.run(agent, 'hi')).rejects.toThrow();
    await expect.poll(async () => (await store.listRuns({ limit: 1 }))[0]?.status, { timeout: 5000 }).toBe('error');
    expect((await store.listRuns({ limit: 1 }))[0]!.error?.name).toMatch(/Error/);
  });

  it('waits out another connection\'s lock off the application\'s thread: nothing lost, no warning', async () => {
    const path = join(tempDir(), 'locked.db');
    const store = await openStore(path);
    const warnings: string[] = [];
    const { triage, text } = twoAgentRun({ deltaDelayMs: 5 });
    const runner = new RecordingRunner({ tracingDisabled: true }, { db: store, warn: (m) => warnings.push(m) });
    const result = await runner.run(triage, 'hi', { stream: true });
    // Another connection holds the write lock from the first delta until the run has ended.
    const other = new Database(path);
    const seen: RunStreamEvent[] = [];
    for await (const event of result) {
      if (seen.length === 0 || (event.type === 'raw_model_stream_event' && event.data.type === 'output_text_delta' && !other.inTransaction)) {
        other.exec('BEGIN IMMEDIATE');
      }
      seen.push(event);
    }
    await result.completed;
    expect(other.inTransaction).toBe(true); // the loop and completed did not wait for the lock
    other.exec('ROLLBACK');
    other.close();
    await recordingStored(result);

    expect(result.finalOutput).toBe(text);
    expect(warnings).toEqual([]);
    const run = (await store.getRun(recordedRunId(result)!))!;
    expect(run).toMatchObject({ status: 'completed', recording: 'complete' });
    await expectStoredAsSeen(store, run.id, seen);
  });

  it('makes no async resource of its own in the run (no timer, no crypto job): async hooks see what the SDK alone makes', async () => {
    const store = await openTestStore();
    const recording = new RecordingRunner({ tracingDisabled: true }, { db: store });
    // The kinds of async resource other than promises made in a streamed run's own async flow. The first one a
    // process makes slows every promise after it, once an AsyncLocalStorage is in use (the SDK's tracing uses one).
    const resourcesMadeBy = async (runner: Runner) => {
      const inRun = new AsyncLocalStorage<true>();
      const kinds = new Set<string>();
      const hook = createHook({ init: (_id, type) => void (inRun.getStore() && type !== 'PROMISE' && kinds.add(type)) });
      hook.enable();
      try {
        const result = await inRun.run(true, async () => {
          const streamed = await runner.run(streamingAgent(['It', ' is', ' sunny', '.']), 'Weather in Paris?', { stream: true });
          for await (const _event of streamed);
          await streamed.completed;
          return streamed;
        });
        return { kinds: [...kinds].sort(), result };
      } finally {
        // Process-wide state, which the next test file in this worker must not inherit (vitest.config.ts).
        hook.disable();
        inRun.disable();
      }
    };
    const sdkAlone = await resourcesMadeBy(new Runner({ tracingDisabled: true }));
    const recorded = await resourcesMadeBy(recording);
    await recordingStored(recorded.result);
    expect(recorded.kinds.filter((kind) => !sdkAlone.kinds.includes(kind))).toEqual([]);
    expect((await store.getRun(recordedRunId(recorded.result)!))?.status).toBe('completed');
  });

  it("sends what waits with the stream's own events: the writer wakes the application's thread for nothing while the stream goes on", async () => {
    // A message from the writer thread wakes the application's thread, and a wake between a timer's start and its
    // end makes that timer up to a millisecond late: a stream paced by timers would be slowed by each one.
    // The writer thread's message ports are the resources made while the runner starts it; what runs on their
    // behalf on this thread (a `before` callback) is a message from the writer.
    const writerResources = new Set<number>();
    let startingWriter = false;
    let messagesWhileStreaming = 0;
    let counting = false;
    const hook = createHook({
      init: (id, type) => void (startingWriter && type !== 'PROMISE' && writerResources.add(id)),
      before: (id) => void (counting && writerResources.has(id) && messagesWhileStreaming++),
    });
    hook.enable();
    try {
      const db = join(tempDir(), 'paced.db');
      startingWriter = true;
      const runner = new RecordingRunner({ tracingDisabled: true }, { db });
      startingWriter = false;
      // The writer thread has started (its own start sends messages) once a first run is stored.
      const first = await runner.run(streamingAgent(['Hello', '.']), 'Hi.', { stream: true });
      for await (const _event of first);
      await recordingStored(first);
      // 120 deltas 3 ms apart: some 400 ms, eight times the writer's batch delay.
      const deltas = Array.from({ length: 120 }, (_, i) => ` word${i}`);
      const result = await runner.run(streamingAgent(deltas, { deltaDelayMs: 3 }), 'Talk.', { stream: true });
      const reader = await openStore(db);
      const seenAt: number[] = [];
      let storedMidway = 0;
      counting = true;
      for await (const _event of result) {
        // What waited went to the database while the stream went on, not only at its end.
        if (seenAt.push(performance.now()) === 80) storedMidway = (await allEvents(reader, recordedRunId(result)!)).length;
      }
      counting = false;
      await result.completed;
      await recordingStored(result);
      expect([...writerResources].length).toBeGreaterThan(0);
      // The writer asks by message only once no event came for a while: on a loaded machine the stream itself
      // may stall that long, and each stall allows one message per IDLE_ASK_MS it lasted. Steady, none.
      const stalls = seenAt.slice(1).reduce((allowed, t, i) => allowed + Math.floor((t - seenAt[i]!) / IDLE_ASK_MS), 0);
      expect(messagesWhileStreaming).toBeLessThanOrEqual(stalls);
      expect(seenAt.at(-1)! - seenAt[0]!).toBeGreaterThan(300);
      expect(storedMidway).toBeGreaterThan(0);
      expect((await allEvents(reader, recordedRunId(result)!)).length).toBe(seenAt.length + 1);
      await reader.close();
    } finally {
      hook.disable();
    }
  });

  it('runs unrecorded, with one warning, when the database cannot be opened', async () => {
    const dir = tempDir();
    const path = join(dir, 'not-a-db.db');
    writeFileSync(path, 'this is not sqlite, just text that is long enough to have a header'.repeat(20));
    const warnings: string[] = [];
    const { triage, text } = twoAgentRun();
    const runner = new RecordingRunner({ tracingDisabled: true }, { db: path, warn: (m) => warnings.push(m) });
    const result = await runner.run(triage, 'hi', { stream: true });
    let streamed = '';
    for await (const chunk of result.toTextStream()) streamed += chunk;
    await result.completed;
    await recordingStored(result);
    expect(streamed).toBe(text);
    expect(warnings).toEqual([expect.stringMatching(/^runtape: not recording \(.*not a runtape database.*\); agent runs go on unrecorded$/)]);
    expect(readFileSync(path, 'utf8')).toContain('this is not sqlite');
  });
});
