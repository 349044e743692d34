/**
 * What a re-run and a diff cover beyond the streamed case: a recording of a non-streamed run (no model events,
 * only its captured calls and items), the SDK's own Runner matched on the calling agent, and handoffs compared
 * with their input filters. Real runner, real database.
 */
import { Runner, handoff, setTracingDisabled, type HandoffInputData } from '@openai/agents';
import { ScriptedModel, assistantMessage, functionCall } from '@openai/agents/testing';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DivergenceError, RecordingRunner, openStore, recordedRunId, recordingStored, rerunDivergences, rerunModelProvider, type RunStore } from '../../src/index.js';
import { readRecordedRun } from '../../src/rerun/recordedRun.js';
import { diffRuns } from '../../src/rerun/runDiff.js';
import { ORDERS_ANSWER, ORDERS_QUESTION, ordersApp, scriptedOrdersProvider, unreachableProvider } from '../support/ordersApp.js';
import { useSharedTempDir } from '../support/tempDb.js';
import { drain } from '../support/drain.js';

const tempDir = useSharedTempDir();
let store: RunStore;
/** The orders run, recorded non-streamed. */
let nonStreamedId: string;

/** The orders run's model turns as whole responses, for a non-streamed run. */
function wholeResponses(): ScriptedModel {
  return new ScriptedModel([
    [functionCall('transfer_to_Orders', {}, { callId: 'call_handoff_1' })],
    [functionCall('lookup_order', { order: '1234' }, { callId: 'call_lookup_1' })],
    [assistantMessage(ORDERS_ANSWER)],
  ]);
}

beforeAll(async () => {
  setTracingDisabled(true);
  store = await openStore(join(tempDir(), 'runs.db'));
  const model = wholeResponses();
  const result = await new RecordingRunner({ modelProvider: { getModel: () => model } }, { db: store }).run(ordersApp().triage, ORDERS_QUESTION);
  expect(result.finalOutput).toBe(ORDERS_ANSWER);
  await recordingStored(result);
  nonStreamedId = recordedRunId(result)!;
  // The recording has no model events: the calls' responses are only in what capture and the items hold.
  for await (const event of store.iterateEvents(nonStreamedId)) expect(event.level).not.toBe('raw');
});

afterAll(async () => {
  await store?.close();
});

it('re-runs a non-streamed recording, streamed and not, from its captured calls and items: the same run, the tools run again', async () => {
  const streamedApp = ordersApp();
  const streamed = await new RecordingRunner({ modelProvider: unreachableProvider }, { db: store, rerun: { run: nonStreamedId } }).run(
    streamedApp.triage,
    ORDERS_QUESTION,
    { stream: true },
  );
  expect(await drain(streamed)).toBeUndefined();
  expect(streamed.finalOutput).toBe(ORDERS_ANSWER);
  expect(streamedApp.lookups).toEqual(['1234']);
  expect(rerunDivergences(streamed)).toEqual([]);

  const wholeApp = ordersApp();
  const whole = await new RecordingRunner({ modelProvider: unreachableProvider }, { db: store, rerun: { run: nonStreamedId } }).run(wholeApp.triage, ORDERS_QUESTION);
  expect(whole.finalOutput).toBe(ORDERS_ANSWER);
  expect(wholeApp.lookups).toEqual(['1234']);
  await recordingStored(whole);
  // The non-streamed re-run and its source are the same run, call by call.
  const diff = diffRuns(await readRecordedRun(store, (await store.getRun(nonStreamedId))!), await readRecordedRun(store, (await store.getRun(recordedRunId(whole)!))!));
  expect(diff.differences).toEqual([]);
});

it('a non-streamed recording re-run with a changed tool: sequence reports the output the next call was sent', async () => {
  const app = ordersApp({ lookup: (order) => `order ${order}: lost in transit` });
  const result = await new RecordingRunner({ modelProvider: unreachableProvider }, { db: store, rerun: { run: nonStreamedId, match: 'sequence' } }).run(
    app.triage,
    ORDERS_QUESTION,
  );
  expect(result.finalOutput).toBe(ORDERS_ANSWER);
  expect(rerunDivergences(result)).toEqual([
    expect.objectContaining({ call: 3, agent: 'Orders', field: 'input', a: expect.objectContaining({ output: expect.objectContaining({ text: 'order 1234: shipped yesterday, arrives Friday' }) }) }),
  ]);
});

it('a non-streamed run recorded without capture cannot be re-run: one line saying why', async () => {
  const model = wholeResponses();
  const result = await new RecordingRunner({ modelProvider: { getModel: () => model } }, { db: store, capture: false }).run(ordersApp().triage, ORDERS_QUESTION);
  await recordingStored(result);
  const runner = new RecordingRunner({ modelProvider: unreachableProvider }, { db: store, rerun: { run: recordedRunId(result)! } });
  await expect(runner.run(ordersApp().triage, ORDERS_QUESTION)).rejects.toThrow(
    new RegExp(`^run ${recordedRunId(result)} holds no model responses to serve: its model calls were not captured$`),
  );
});

it("rerunModelProvider matches on the calling agent, which the agents announce: another agent's call ends the run, naming both", async () => {
  // The source, streamed: Triage made call 1.
  const source = await new RecordingRunner({ modelProvider: scriptedOrdersProvider() }, { db: store }).run(ordersApp().triage, ORDERS_QUESTION, { stream: true });
  await drain(source);
  await recordingStored(source);
  const sourceId = recordedRunId(source)!;

  // Started at Orders now: its first call is one Triage made.
  const app = ordersApp();
  const provider = await rerunModelProvider(app.orders, { db: store, run: sourceId, match: 'sequence', live: unreachableProvider });
  const error = await drain(await new Runner({ modelProvider: provider }).run(app.orders, ORDERS_QUESTION, { stream: true }));
  expect(error).toBeInstanceOf(DivergenceError);
  expect((error as Error).message).toBe('call 1 (agent Orders): agent differs: recorded "Triage" now "Orders"');

  // The agent that calls after a handoff is heard too: the same agents, unchanged, diverge nowhere, and
  // another run of the same agents under another runner meanwhile is no part of it.
  const same = ordersApp();
  const sameProvider = await rerunModelProvider(same.triage, { db: store, run: sourceId, match: 'sequence', live: unreachableProvider });
  const other = await new Runner({ modelProvider: scriptedOrdersProvider() }).run(same.orders, ORDERS_QUESTION, { stream: true });
  const result = await new Runner({ modelProvider: sameProvider }).run(same.triage, ORDERS_QUESTION, { stream: true });
  expect(await drain(result)).toBeUndefined();
  await drain(other);
  expect(result.finalOutput).toBe(ORDERS_ANSWER);
  expect(sameProvider.divergences).toEqual([]);
});

it('diff compares each handoff with its input filter: the filter and what it removed', async () => {
  function dropHistory(data: HandoffInputData): HandoffInputData {
    return { ...data, inputHistory: [] };
  }
  function keepEverything(data: HandoffInputData): HandoffInputData {
    return data;
  }
  const recordWith = async (inputFilter: (data: HandoffInputData) => HandoffInputData) => {
    const app = ordersApp();
    app.triage.handoffs = [handoff(app.orders, { inputFilter })];
    const result = await new RecordingRunner({ modelProvider: scriptedOrdersProvider() }, { db: store }).run(app.triage, ORDERS_QUESTION, { stream: true });
    await drain(result);
    await recordingStored(result);
    return readRecordedRun(store, (await store.getRun(recordedRunId(result)!))!);
  };
  const dropped = await recordWith(dropHistory);
  const kept = await recordWith(keepEverything);
  expect(diffRuns(dropped, await recordWith(dropHistory)).equal).toBe(true);
  const handoffs = diffRuns(dropped, kept).differences.find((d) => d.field === 'handoffs');
  expect(handoffs).toEqual({
    call: null,
    agent: null,
    field: 'handoffs',
    a: [{ from: 'Triage', to: 'Orders', filter: { name: 'dropHistory', source: 'handoff', removed: [`user "${ORDERS_QUESTION}"`] } }],
    b: [{ from: 'Triage', to: 'Orders', filter: { name: 'keepEverything', source: 'handoff', removed: [] } }],
  });
});
