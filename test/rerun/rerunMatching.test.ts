/**
 * Matching a re-run's requests against the recording, through the real runner and a real database: strict,
 * sequence, ignore, more or fewer calls than were recorded, a recording with a gap, and the SDK's own Runner
 * through `rerunModelProvider`.
 */
import { Runner, setTracingDisabled } from '@openai/agents';
import { ScriptedModel } from '@openai/agents/testing';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  DivergenceError,
  RecordingRunner,
  openStore,
  recordedRunId,
  recordingStored,
  rerunDivergences,
  rerunModelProvider,
  type RerunOptions,
  type RunStore,
} from '../../src/index.js';
import { ORDERS_ANSWER, ORDERS_QUESTION, ordersApp, scriptedOrdersProvider, unreachableProvider } from '../support/ordersApp.js';
import { textTurn } from '../support/scriptedTurns.js';
import { useSharedTempDir } from '../support/tempDb.js';
import { drain } from '../support/drain.js';

const tempDir = useSharedTempDir();
let store: RunStore;
let sourceId: string;

beforeAll(async () => {
  setTracingDisabled(true);
  store = await openStore(join(tempDir(), 'runs.db'));
  const result = await new RecordingRunner({ modelProvider: scriptedOrdersProvider() }, { db: store }).run(ordersApp().triage, ORDERS_QUESTION, {
    stream: true,
  });
  await drain(result);
  await recordingStored(result);
  sourceId = recordedRunId(result)!;
});

afterAll(async () => {
  await store?.close();
});

function rerunner(rerun: Omit<RerunOptions, 'run'> = {}) {
  return new RecordingRunner({ modelProvider: unreachableProvider }, { db: store, rerun: { run: sourceId, ...rerun } });
}

it('sequence: serves every call and collects the differences on the result instead of failing', async () => {
  const runner = rerunner({ match: 'sequence' });
  const app = ordersApp({ instructions: 'You are Orders. Be terse.' });
  const result = await runner.run(app.triage, ORDERS_QUESTION, { stream: true });
  expect(await drain(result)).toBeUndefined();
  expect(result.finalOutput).toBe(ORDERS_ANSWER);
  // Orders made two calls, each with the changed instructions.
  expect(rerunDivergences(result)).toEqual([
    { call: 2, agent: 'Orders', field: 'instructions', a: 'You are Orders; today is day 42.', b: 'You are Orders. Be terse.' },
    { call: 3, agent: 'Orders', field: 'instructions', a: 'You are Orders; today is day 42.', b: 'You are Orders. Be terse.' },
  ]);
});

it('ignore: a field left out of the comparison does not diverge', async () => {
  const app = ordersApp({ instructions: 'You are Orders. Be terse.' });
  const result = await rerunner({ ignore: ['instructions'] }).run(app.triage, ORDERS_QUESTION, { stream: true });
  expect(await drain(result)).toBeUndefined();
  expect(rerunDivergences(result)).toEqual([]);
});

it('strict: a tool whose schema changed is a divergence, with the tools as recorded and now', async () => {
  const app = ordersApp();
  (app.orders.tools[0] as { description: string }).description = 'Look an order up';
  const error = await drain(await rerunner().run(app.triage, ORDERS_QUESTION, { stream: true }));
  expect(error).toBeInstanceOf(DivergenceError);
  expect((error as DivergenceError).difference).toMatchObject({
    call: 2,
    agent: 'Orders',
    field: 'tools',
    a: { name: 'lookup_order', description: 'Find an order by its number' },
    b: { name: 'lookup_order', description: 'Look an order up' },
  });
});

it('strict: a tool whose code changed sends the model another input, a divergence at the next call', async () => {
  const app = ordersApp({ lookup: () => 'order 1234: lost' });
  const error = await drain(await rerunner().run(app.triage, ORDERS_QUESTION, { stream: true }));
  expect(error).toBeInstanceOf(DivergenceError);
  const { difference } = error as DivergenceError;
  expect(difference).toMatchObject({ call: 3, agent: 'Orders', field: 'input', a: { type: 'function_call_result', callId: 'call_lookup_1' } });
  expect(JSON.stringify(difference.b)).toContain('order 1234: lost');
  expect((error as Error).message).toMatch(/^call 3 \(agent Orders\): input differs: recorded \{"type":"function_call_result",/);
});

it('sequence: another agent making the call ends the run, naming both', async () => {
  // The run now starts at Orders: the first call comes from Orders, where Triage made it.
  const error = await drain(await rerunner({ match: 'sequence' }).run(ordersApp().orders, ORDERS_QUESTION, { stream: true }));
  expect(error).toBeInstanceOf(DivergenceError);
  expect((error as Error).message).toBe('call 1 (agent Orders): agent differs: recorded "Triage" now "Orders"');
});

it('a run that needs more calls than were recorded fails naming the call, or asks the live model with onMissing live', async () => {
  // Recorded with Orders stopping at its tool's output: two calls.
  const short = await new RecordingRunner({ modelProvider: scriptedOrdersProvider() }, { db: store }).run(
    ordersApp({ toolUseBehavior: 'stop_on_first_tool' }).triage,
    ORDERS_QUESTION,
    { stream: true },
  );
  await drain(short);
  await recordingStored(short);
  const shortId = recordedRunId(short)!;

  const failing = await new RecordingRunner({ modelProvider: unreachableProvider }, { db: store, rerun: { run: shortId } }).run(
    ordersApp().triage,
    ORDERS_QUESTION,
    { stream: true },
  );
  const error = await drain(failing);
  expect(error).toBeInstanceOf(DivergenceError);
  expect((error as Error).message).toBe('call 3 (agent Orders): number of model calls differs: recorded 2 now 3');

  const live = new ScriptedModel([textTurn('Live answer.')]);
  const continued = await new RecordingRunner({ modelProvider: { getModel: () => live } }, { db: store, rerun: { run: shortId, onMissing: 'live' } }).run(
    ordersApp().triage,
    ORDERS_QUESTION,
    { stream: true },
  );
  expect(await drain(continued)).toBeUndefined();
  expect(continued.finalOutput).toBe('Live answer.');
});

it('a run that makes fewer calls than were recorded says so on the result once it ended', async () => {
  const result = await rerunner().run(ordersApp({ toolUseBehavior: 'stop_on_first_tool' }).triage, ORDERS_QUESTION, { stream: true });
  expect(await drain(result)).toBeUndefined();
  expect(rerunDivergences(result)).toEqual([{ call: null, agent: null, field: 'calls', a: 3, b: 2 }]);
});

it('refuses to serve a call whose events the recording lost, in one line naming the call and the gap', async () => {
  const source = (await store.getRun(sourceId))!;
  const events = [];
  for await (const event of store.iterateEvents(sourceId)) events.push(event);
  const secondCall = events.filter((e) => e.name === 'response_started')[1]!.seq;
  const gapped = { ...source, id: '9a99ed0000000001', gaps: [{ fromSeq: secondCall + 2, toSeq: secondCall + 3 }] };
  const modelCalls = await store.captures(sourceId, 'modelCall');
  await store.importRun(
    gapped,
    await store.agents(sourceId),
    (async function* () {
      yield* events;
    })(),
    () => ({ modelCall: modelCalls }),
  );
  const runner = new RecordingRunner({ modelProvider: unreachableProvider }, { db: store, rerun: { run: gapped.id } });
  const error = await drain(await runner.run(ordersApp().triage, ORDERS_QUESTION, { stream: true }));
  expect((error as Error).message).toBe(
    `call 2 (agent Orders): the recording lost events ${secondCall + 2}-${secondCall + 3} where this call's may be (a gap in run ${gapped.id}): it cannot be served`,
  );
});

it("serves the SDK's own Runner through rerunModelProvider", async () => {
  const app = ordersApp();
  const provider = await rerunModelProvider(app.triage, { db: store, run: sourceId, live: unreachableProvider });
  const result = await new Runner({ modelProvider: provider }).run(app.triage, ORDERS_QUESTION, { stream: true });
  expect(await drain(result)).toBeUndefined();
  expect(result.finalOutput).toBe(ORDERS_ANSWER);
  expect(app.lookups).toEqual(['1234']);
  expect(provider.divergences).toEqual([]);
});

it('rerunModelProvider refuses, before anything runs, a recording whose agent now holds a Model instance', async () => {
  const app = ordersApp({ model: new ScriptedModel([]) });
  await expect(rerunModelProvider(app.triage, { db: store, run: sourceId })).rejects.toThrow(
    /^call 2 \(agent Orders\): the agent holds a Model instance, which a model provider never sees: re-run it with RecordingRunner's rerun option$/,
  );
});

it('serves agents that hold a Model object, through a patch on that object that other runs pass straight through', async () => {
  // Recorded with the models given as objects on the agents.
  const scripted = scriptedOrdersProvider().getModel() as ScriptedModel;
  const recorded = ordersApp({ model: scripted });
  recorded.triage.model = scripted;
  const source = await new RecordingRunner({}, { db: store }).run(recorded.triage, ORDERS_QUESTION, { stream: true });
  await drain(source);
  await recordingStored(source);

  // Re-run with models that have nothing to say: any call that reached them would fail.
  const silent = new ScriptedModel([]);
  const app = ordersApp({ model: silent });
  app.triage.model = silent;
  const result = await new RecordingRunner({}, { db: store, rerun: { run: recordedRunId(source)! } }).run(app.triage, ORDERS_QUESTION, { stream: true });
  expect(await drain(result)).toBeUndefined();
  expect(result.finalOutput).toBe(ORDERS_ANSWER);
  expect(app.lookups).toEqual(['1234']);

  // Outside a re-run the very same objects are the application's own models again.
  await expect(new Runner().run(app.triage, ORDERS_QUESTION)).rejects.toThrow(/ScriptedModel received unexpected non-streaming call #1/);
}, 30_000);
