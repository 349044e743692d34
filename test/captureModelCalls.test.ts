/**
 * What each agent saw, through the real `openai` client against the local fake server: Triage hands off to
 * Orders, whose instructions are a function of the run's context and whose handoff filter drops the history.
 * `runtape calls RUN --json` (the built CLI) must show every call as it was sent.
 */
import { Agent, OpenAIChatCompletionsModel, OpenAIProvider, Runner, handoff, run, type HandoffInputData, type RunStreamEvent } from '@openai/agents';
import OpenAI from 'openai';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordingRunner, openStore, record, recordedRunId, recordingStored } from '../src/index.js';
import { expectOneLineError, runCli } from './support/cli.js';
import { startFakeResponsesServer, type FakeResponsesServer, type FakeTurn } from './support/fakeResponsesServer.js';
import { useTempDir } from './support/tempDb.js';

const tempDir = useTempDir();
let server: FakeResponsesServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const USER_MESSAGE = 'Where is my order 4711?';
const HANDOFF_TURNS: FakeTurn[] = [
  { kind: 'function_call', name: 'transfer_to_Orders', arguments: '{}', callId: 'call_handoff_1' },
  { kind: 'text', deltas: ['Order 4711 ', 'ships ', 'tomorrow.'] },
];

interface Shop {
  customer: string;
}

/** The agents under test; `model` is each agent's model: a name for the runner's provider, or a Model object. */
function agents(model: () => string | OpenAIChatCompletionsModel, triageSettings: Agent<Shop>['modelSettings'] = {}) {
  const dropHistory = (data: HandoffInputData): HandoffInputData => ({ ...data, inputHistory: [], preHandoffItems: [] });
  const orders = new Agent<Shop>({
    name: 'Orders',
    instructions: (context) => `You handle orders for ${context.context.customer}.`,
    model: model(),
  });
  const triage = new Agent<Shop>({
    name: 'Triage',
    instructions: 'Route the customer.',
    model: model(),
    modelSettings: triageSettings,
    handoffs: [handoff(orders, { inputFilter: dropHistory })],
  });
  return { triage, orders };
}

interface CallJson {
  call: number;
  agent: string;
  model: string | null;
  instructions: string | null;
  input: unknown[] | string;
  tools: { type: string; name: string; agent?: string }[];
  handoffs: { toolName: string; agent: string }[];
  responseId: string | null;
  usage: { inputTokens?: number; outputTokens?: number } | null;
  startUs: number;
  endUs: number | null;
  ttftUs: number | null;
  firstSeq: number | null;
  lastSeq: number | null;
  attempts: { attempt: number; error: unknown }[];
  error: unknown;
}

function callsJson(db: string, runId: string): CallJson[] {
  const listed = runCli(['calls', runId, '--json'], { db });
  expect(listed.stderr).toBe('');
  expect(listed.status).toBe(0);
  return JSON.parse(listed.stdout) as CallJson[];
}

/** What the handoff scenario must show: every call, as sent. */
function expectHandoffCalls(calls: CallJson[], model: string): void {
  expect(calls.map((c) => [c.call, c.agent, c.model])).toEqual([
    [1, 'Triage', model],
    [2, 'Orders', model],
  ]);
  const [triage, orders] = calls as [CallJson, CallJson];
  // Function instructions, resolved against the run's context: the very string sent.
  expect(orders.instructions).toBe('You handle orders for Dana.');
  expect(triage.instructions).toBe('Route the customer.');
  expect(JSON.stringify(triage.input)).toContain(USER_MESSAGE);
  // The handoff's filter dropped the history: Orders never saw the user's message.
  expect(JSON.stringify(orders.input)).not.toContain(USER_MESSAGE);
  expect(orders.input.length).toBeGreaterThan(0);
  expect(triage.tools).toContainEqual(expect.objectContaining({ type: 'handoff', name: 'transfer_to_Orders', agent: 'Orders' }));
  expect(triage.handoffs).toEqual([expect.objectContaining({ toolName: 'transfer_to_Orders', agent: 'Orders' })]);
  expect(orders.tools).toEqual([]);
  for (const c of calls) {
    expect(c.error).toBeNull();
    expect(c.attempts).toHaveLength(1);
    expect(c.endUs!).toBeGreaterThanOrEqual(c.startUs);
    expect(c.usage?.outputTokens).toBeGreaterThan(0);
  }
  expect(orders.startUs).toBeGreaterThanOrEqual(triage.endUs!);
}

describe('runtape calls', () => {
  it('shows each call as sent through the Responses API: resolved instructions, filtered input, offered handoffs', async () => {
    server = await startFakeResponsesServer(HANDOFF_TURNS);
    const client = new OpenAI({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0 });
    const { triage } = agents(() => 'gpt-4.1-mini');
    const db = join(tempDir(), 'runs.db');
    const runner = new RecordingRunner({ modelProvider: new OpenAIProvider({ openAIClient: client, useResponses: true }), tracingDisabled: true }, { db });

    const result = await runner.run(triage, USER_MESSAGE, { stream: true, context: { customer: 'Dana' } });
    const seen: RunStreamEvent[] = [];
    for await (const event of result) seen.push(event);
    await recordingStored(result);
    expect(result.finalOutput).toBe('Order 4711 ships tomorrow.');

    const runId = recordedRunId(result)!;
    const calls = callsJson(db, runId);
    expectHandoffCalls(calls, 'gpt-4.1-mini');
    // Each call points at the events it produced: its response_done is among them, with its response id.
    const store = await openStore(db, { readonly: true });
    for (const c of calls) {
      const events = await store.readEvents(runId, { fromSeq: c.firstSeq!, limit: c.lastSeq! - c.firstSeq! + 1 });
      const done = events.filter((e) => e.name === 'response_done').map((e) => JSON.parse(e.payload).data.response.id);
      expect(done).toEqual([c.responseId]);
    }
    // The second call's text arrived after its start: its time to first token lies within the call.
    expect(calls[1]!.ttftUs).toBeGreaterThanOrEqual(calls[1]!.startUs);
    expect(calls[1]!.ttftUs).toBeLessThanOrEqual(calls[1]!.endUs!);
    await store.close();

    const table = runCli(['calls', runId], { db });
    expect(table.status).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^#\s+agent\s+model\s+start\s+duration\s+TTFT\s+input\s+tokens in\/out\s+tools offered$/);
    expect(table.stdout).toMatch(/\n1\s+Triage\s+gpt-4\.1-mini\s.*transfer_to_Orders/);
    const whole = runCli(['calls', runId, '2'], { db });
    expect(whole.status).toBe(0);
    expect(whole.stdout).toContain('You handle orders for Dana.');
    expect(whole.stdout).not.toContain(USER_MESSAGE);
    expectOneLineError(runCli(['calls', runId, '3'], { db }), /has no model call 3 \(its calls are 1–2\)/);
    expect(runCli(['show', runId], { db }).stdout).toMatch(/instructions \(as sent, call 2\): You handle orders for Dana\./);
  });

  it('captures the calls of a Model object on the agent (Chat Completions), which no provider sees', async () => {
    server = await startFakeResponsesServer(HANDOFF_TURNS);
    const client = new OpenAI({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0 });
    const { triage } = agents(() => new OpenAIChatCompletionsModel(client, 'gpt-4o-mini'));
    const db = join(tempDir(), 'runs.db');
    const runner = new RecordingRunner({ tracingDisabled: true }, { db });

    const result = await runner.run(triage, USER_MESSAGE, { stream: true, context: { customer: 'Dana' } });
    for await (const _event of result);
    await recordingStored(result);
    expect(result.finalOutput).toBe('Order 4711 ships tomorrow.');
    expect(server.requests).toHaveLength(2);
    // The model's name is private to it: the call names its class.
    expectHandoffCalls(callsJson(db, recordedRunId(result)!), 'OpenAIChatCompletionsModel');
  });

  it('captures a non-streamed run, and a retry as one call with its attempts', async () => {
    server = await startFakeResponsesServer([{ kind: 'error', status: 500, message: 'upstream hiccup' }, ...HANDOFF_TURNS]);
    const client = new OpenAI({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0 });
    const retry = { maxRetries: 2, backoff: { initialDelayMs: 1, jitter: false }, policy: () => true };
    const { triage } = agents(() => new OpenAIChatCompletionsModel(client, 'gpt-4o-mini'), { retry });
    const db = join(tempDir(), 'runs.db');
    const runner = new RecordingRunner({ tracingDisabled: true }, { db });

    const result = await runner.run(triage, USER_MESSAGE, { context: { customer: 'Dana' } });
    await recordingStored(result);
    expect(result.finalOutput).toBe('Order 4711 ships tomorrow.');
    const calls = callsJson(db, recordedRunId(result)!);
    expect(calls.map((c) => [c.call, c.agent])).toEqual([
      [1, 'Triage'],
      [2, 'Orders'],
    ]);
    expect(calls[0]!.attempts.map((a) => [a.attempt, a.error === null])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(calls[0]!.error).toBeNull();
    // A non-streamed run's events are recorded after it: its calls produced none while they went on.
    expect(calls.map((c) => [c.firstSeq, c.lastSeq, c.ttftUs])).toEqual([
      [null, null, null],
      [null, null, null],
    ]);
  });

  it('keeps the calls of concurrent runs that share one model object apart', async () => {
    server = await startFakeResponsesServer([
      { kind: 'text', deltas: ['one'], delayMs: 5 },
      { kind: 'text', deltas: ['two'], delayMs: 5 },
      { kind: 'text', deltas: ['three'] },
    ]);
    const model = new OpenAIChatCompletionsModel(new OpenAI({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0 }), 'gpt-4o-mini');
    const agent = new Agent({ name: 'Echo', instructions: 'Echo.', model });
    const db = join(tempDir(), 'runs.db');
    const runner = new RecordingRunner({ tracingDisabled: true }, { db });
    const results = await Promise.all(['first question', 'second question'].map((input) => runner.run(agent, input, { stream: true })));
    await Promise.all(results.map(async (r) => {
      for await (const _event of r);
      await recordingStored(r);
    }));
    // The same object outside any recorded run answers as before, and nothing of it is captured.
    const plain = await new Runner({ tracingDisabled: true }).run(agent, 'third question');
    expect(plain.finalOutput).toBe('three');
    for (const [i, r] of results.entries()) {
      const calls = callsJson(db, recordedRunId(r)!);
      expect(calls).toHaveLength(1);
      expect(JSON.stringify(calls[0]!.input)).toContain(['first question', 'second question'][i]);
    }
  });

  it('says a run record() wrapped has no model calls recorded, and leaves the application its own hooks', async () => {
    server = await startFakeResponsesServer([...HANDOFF_TURNS, ...HANDOFF_TURNS, ...HANDOFF_TURNS]);
    const client = new OpenAI({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0 });
    const model = new OpenAIChatCompletionsModel(client, 'gpt-4o-mini');
    const { triage, orders } = agents(() => model);
    // The application's hooks run once each, with capture on as under the SDK's own Runner.
    const hookCounts = async (runner: Runner) => {
      const counts: string[] = [];
      runner.on('agent_start', (_c, agent) => counts.push(`runner start ${agent.name}`));
      runner.on('agent_handoff', (_c, from, to) => counts.push(`runner handoff ${from.name}→${to.name}`));
      const onTriage = () => counts.push('agent start Triage');
      const onOrders = () => counts.push('agent start Orders');
      triage.on('agent_start', onTriage);
      orders.on('agent_start', onOrders);
      const result = await runner.run(triage, USER_MESSAGE, { stream: true, context: { customer: 'Dana' } });
      const names: string[] = [];
      for await (const event of result) names.push(event.type === 'raw_model_stream_event' ? `raw ${event.data.type}` : event.type);
      triage.off('agent_start', onTriage);
      orders.off('agent_start', onOrders);
      return { counts, names, output: result.finalOutput };
    };
    const db = join(tempDir(), 'runs.db');
    const wrapped = record(await run(triage, USER_MESSAGE, { stream: true, context: { customer: 'Dana' } }), { startingAgent: triage, db });
    for await (const _event of wrapped);
    await recordingStored(wrapped);
    const sdk = await hookCounts(new Runner({ tracingDisabled: true }));
    const recorded = await hookCounts(new RecordingRunner({ tracingDisabled: true }, { db }));
    expect(recorded).toEqual(sdk);
    expect(sdk.counts).toEqual(['agent start Triage', 'runner start Triage', 'runner handoff Triage→Orders', 'agent start Orders', 'runner start Orders']);

    // (The CLI last: a slow CLI would outlast the server's keep-alive between the runs.)
    const runId = recordedRunId(wrapped)!;
    expect(runCli(['calls', runId], { db }).stdout.trim()).toMatch(/^no model calls recorded for this run \(/);
    expect(runCli(['calls', runId, '--json'], { db }).stdout.trim()).toBe('[]');
    expectOneLineError(runCli(['calls', runId, '1'], { db }), /no model calls recorded for this run/);
  });
});
