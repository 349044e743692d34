/**
 * The done-when scenario of the re-run: a run recorded over HTTP (the real `openai` client against the local
 * Responses API), then the server stopped and the default client pointed at the dead port. The same agents
 * re-run from the recording, offline, through the real runner and the real store.
 */
import { setDefaultOpenAIClient, setTracingDisabled } from '@openai/agents';
import OpenAI from 'openai';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DivergenceError, RecordingRunner, openStore, recordedRunId, recordingStored, type RunStore } from '../../src/index.js';
import { runCli } from '../support/cli.js';
import { startFakeResponsesServer } from '../support/fakeResponsesServer.js';
import { ORDERS_ANSWER as answer, ORDERS_QUESTION as question, ordersApp } from '../support/ordersApp.js';
import { useSharedTempDir } from '../support/tempDb.js';

const tempDir = useSharedTempDir();
let store: RunStore;
let dbPath: string;
let sourceId: string;
let rerunId: string;
let changedId: string;

beforeAll(async () => {
  setTracingDisabled(true);
  dbPath = join(tempDir(), 'runs.db');
  store = await openStore(dbPath);
  const server = await startFakeResponsesServer([
    { kind: 'function_call', name: 'transfer_to_Orders', arguments: '{}', callId: 'call_handoff_1' },
    { kind: 'function_call', name: 'lookup_order', arguments: '{"order":"1234"}', callId: 'call_lookup_1' },
    { kind: 'text', deltas: ['Order 1234 ', 'shipped yesterday; ', 'it arrives Friday.'] },
  ]);
  setDefaultOpenAIClient(new OpenAI({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0 }));
  const result = await new RecordingRunner({}, { db: store, name: 'source' }).run(ordersApp().triage, question, { stream: true });
  for await (const _ of result);
  await recordingStored(result);
  expect(result.finalOutput).toBe(answer);
  sourceId = recordedRunId(result)!;
  expect(server.requests).toHaveLength(3);
  // From here on nothing answers: a live call would fail with a connection error.
  await server.close();
  setDefaultOpenAIClient(new OpenAI({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0 }));
});

afterAll(async () => {
  await store?.close();
});

it('re-runs the recording offline with match strict: the same final output, the tools run again, the new run recorded and linked', async () => {
  const { triage, lookups } = ordersApp();
  const runner = new RecordingRunner({}, { db: store, name: 'rerun', rerun: { run: sourceId, match: 'strict' } });
  const result = await runner.run(triage, question, { stream: true });
  const text: string[] = [];
  for await (const event of result) {
    if (event.type === 'raw_model_stream_event' && event.data.type === 'output_text_delta') text.push(event.data.delta);
  }
  await result.completed;
  await recordingStored(result);
  expect(result.finalOutput).toBe(answer);
  expect(text.join('')).toBe(answer);
  expect(result.lastAgent?.name).toBe('Orders');
  expect(lookups).toEqual(['1234']);

  rerunId = recordedRunId(result)!;
  const rerun = (await store.getRun(rerunId))!;
  expect(rerun).toMatchObject({ status: 'completed', finalOutput: answer, metadata: { rerunOf: sourceId } });
  const events = async (id: string) => {
    const payloads: string[] = [];
    for await (const event of store.iterateEvents(id)) payloads.push(event.payload);
    return payloads;
  };
  // The application saw the very stream the recorded run produced.
  expect(await events(rerun.id)).toEqual(await events(sourceId));
});

it('throws a DivergenceError naming the call, Orders and its instructions when they changed, and the run ends error', async () => {
  const runner = new RecordingRunner({}, { db: store, name: 'changed', rerun: { run: sourceId } });
  const result = await runner.run(ordersApp({ instructions: 'You are Orders. Be terse.' }).triage, question, { stream: true });
  const failure = await (async () => {
    for await (const _ of result);
  })().then(
    () => undefined,
    (error: unknown) => error,
  );
  await expect(result.completed).rejects.toBe(failure);
  expect(failure).toBeInstanceOf(DivergenceError);
  const divergence = failure as DivergenceError;
  expect(divergence.message).toBe('call 2 (agent Orders): instructions differ: recorded "You are Orders; today is day 42." now "You are Orders. Be terse."');
  expect(divergence.difference).toEqual({ call: 2, agent: 'Orders', field: 'instructions', a: 'You are Orders; today is day 42.', b: 'You are Orders. Be terse.' });
  await recordingStored(result);
  changedId = recordedRunId(result)!;
  expect(await store.getRun(changedId)).toMatchObject({ status: 'error', error: { name: 'DivergenceError' }, metadata: { rerunOf: sourceId } });
});

it('serves a non-streamed run too, and a normalizer lets a field that legitimately changes pass', async () => {
  const runner = new RecordingRunner(
    {},
    { db: store, rerun: { run: sourceId, normalize: { instructions: (text) => String(text).replace(/day \d+/, 'day N') } } },
  );
  const result = await runner.run(ordersApp({ instructions: 'You are Orders; today is day 43.' }).triage, question);
  expect(result.finalOutput).toBe(answer);
  expect(result.lastAgent?.name).toBe('Orders');
});

it('runtape diff: the source and its re-run are equal (exit 0); against the diverged run it prints the differences (exit 1)', () => {
  const same = runCli(['diff', sourceId, rerunId, '--json'], { db: dbPath });
  expect(same.stderr).toBe('');
  expect(same.status).toBe(0);
  expect(JSON.parse(same.stdout)).toMatchObject({ equal: true, a: sourceId, b: rerunId, differences: [] });

  const changed = runCli(['diff', sourceId, changedId, '--json'], { db: dbPath });
  expect(changed.status).toBe(1);
  const report = JSON.parse(changed.stdout) as { equal: boolean; differences: { call: number | null; field: string; a: unknown; b: unknown }[] };
  expect(report.equal).toBe(false);
  expect(report.differences.map((d) => [d.call, d.field])).toEqual([
    [null, 'status'],
    [null, 'calls'],
    [2, 'instructions'],
    [2, 'toolCalls'],
    [2, 'toolOutputs'],
    [null, 'finalOutput'],
  ]);
  expect(report.differences[0]!.b).toBe(
    'error (DivergenceError: call 2 (agent Orders): instructions differ: recorded "You are Orders; today is day 42." now "You are Orders. Be terse.")',
  );
  expect(report.differences[2]).toEqual({ call: 2, agent: 'Orders', field: 'instructions', a: 'You are Orders; today is day 42.', b: 'You are Orders. Be terse.' });
  expect(report.differences[5]).toMatchObject({ a: answer, b: null });

  const human = runCli(['diff', sourceId, changedId], { db: dbPath });
  expect(human.status).toBe(1);
  const [a, b] = [sourceId.slice(0, 8), changedId.slice(0, 8)];
  expect(human.stdout).toContain(`runs ${a} and ${b} differ (6 differences):`);
  expect(human.stdout).toContain(`  run: number of model calls differs: ${a} 3 ${b} 2\n`);
  expect(human.stdout).toContain(`  call 2 (agent Orders): instructions differ: ${a} "You are Orders; today is day 42." ${b} "You are Orders. Be terse."\n`);
  expect(human.stdout).toMatch(/^timing \(not compared\): /m);
});

it('runtape diff fails with exit 2 and one line for a run that does not exist', () => {
  const result = runCli(['diff', sourceId, 'ffff0000'], { db: dbPath });
  expect(result.status).toBe(2);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(/^runtape: no run "ffff0000"/);
});
