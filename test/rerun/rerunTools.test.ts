/**
 * `tools: 'recorded'` on a re-run: the application's function tools are answered with the outputs the recording
 * holds (its `tool_output` items), their code does not run; outside such a re-run the very same tool objects
 * run their own code, in the same process and at the same time.
 */
import { setTracingDisabled } from '@openai/agents';
import { ScriptedModel } from '@openai/agents/testing';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RecordingRunner, openStore, recordedRunId, recordingStored, rerunDivergences, type RerunOptions, type RunStore } from '../../src/index.js';
import { ORDERS_ANSWER, ORDERS_QUESTION, ordersApp, scriptedOrdersProvider, unreachableProvider } from '../support/ordersApp.js';
import { callTurn, textTurn } from '../support/scriptedTurns.js';
import { useSharedTempDir } from '../support/tempDb.js';
import { drain } from '../support/drain.js';

const tempDir = useSharedTempDir();
let store: RunStore;
let sourceId: string;

/** The `tool_output` items a run recorded, as stored. */
async function toolOutputs(runId: string): Promise<string[]> {
  const payloads: string[] = [];
  for await (const event of store.iterateEvents(runId)) if (event.name === 'tool_output') payloads.push(event.payload);
  return payloads;
}

function rerunner(rerun: Omit<RerunOptions, 'run'> = {}) {
  return new RecordingRunner({ modelProvider: unreachableProvider }, { db: store, rerun: { run: sourceId, ...rerun } });
}

beforeAll(async () => {
  setTracingDisabled(true);
  store = await openStore(join(tempDir(), 'runs.db'));
  const app = ordersApp();
  const result = await new RecordingRunner({ modelProvider: scriptedOrdersProvider() }, { db: store }).run(app.triage, ORDERS_QUESTION, { stream: true });
  expect(await drain(result)).toBeUndefined();
  await recordingStored(result);
  sourceId = recordedRunId(result)!;
  expect(app.lookups).toEqual(['1234']);
});

afterAll(async () => {
  await store?.close();
});

it("serves the recorded tool output: the tool's code does not run, the run and its tool_output items are the recording's", async () => {
  const app = ordersApp();
  const result = await rerunner({ tools: 'recorded' }).run(app.triage, ORDERS_QUESTION, { stream: true });
  expect(await drain(result)).toBeUndefined();
  await recordingStored(result);
  expect(app.lookups).toEqual([]);
  expect(result.finalOutput).toBe(ORDERS_ANSWER);
  expect(rerunDivergences(result)).toEqual([]);
  const rerunId = recordedRunId(result)!;
  expect(await toolOutputs(rerunId)).toEqual(await toolOutputs(sourceId));
  expect(await toolOutputs(rerunId)).toHaveLength(1);
  // The tool call is still captured, its output in the item alone.
  expect(await store.captures(rerunId, 'toolCall')).toMatchObject([{ tool: 'lookup_order', callId: 'call_lookup_1', output: null }]);
});

it('a tool whose code changed still gets its recorded output (strict passes); the default, live, runs the changed code', async () => {
  const changed = ordersApp({ lookup: () => 'order 1234: lost' });
  const recorded = await rerunner({ tools: 'recorded' }).run(changed.triage, ORDERS_QUESTION, { stream: true });
  expect(await drain(recorded)).toBeUndefined();
  expect(changed.lookups).toEqual([]);

  const live = await rerunner({ match: 'sequence' }).run(changed.triage, ORDERS_QUESTION, { stream: true });
  expect(await drain(live)).toBeUndefined();
  expect(changed.lookups).toEqual(['1234']);
  expect(rerunDivergences(live)?.map((d) => [d.call, d.field])).toEqual([[3, 'input']]);
});

it('outside the re-run the same tool object runs its own code, with its own invoke, even while a re-run serves it', async () => {
  const app = ordersApp();
  const tool = app.orders.tools[0] as { invoke: unknown };
  const ownInvoke = tool.invoke;
  const [rerun, live] = await Promise.all([
    rerunner({ tools: 'recorded' }).run(app.triage, ORDERS_QUESTION, { stream: true }),
    new RecordingRunner({ modelProvider: scriptedOrdersProvider() }, { db: store }).run(app.triage, ORDERS_QUESTION, { stream: true }),
  ]);
  expect(await Promise.all([drain(rerun), drain(live)])).toEqual([undefined, undefined]);
  expect(app.lookups).toEqual(['1234']);
  expect(live.finalOutput).toBe(ORDERS_ANSWER);
  expect(tool.invoke).toBe(ownInvoke);

  // Patched once: another re-run leaves the patch as it is.
  const patch = Object.getOwnPropertyDescriptor(tool, 'invoke');
  expect(patch?.get).toBeTypeOf('function');
  await drain(await rerunner({ tools: 'recorded' }).run(app.triage, ORDERS_QUESTION, { stream: true }));
  expect(Object.getOwnPropertyDescriptor(tool, 'invoke')).toEqual(patch);
  expect(app.lookups).toEqual(['1234']);
});

it('a tool call the recording does not hold fails the run naming the tool and the call; the tool does not run', async () => {
  // A fork: call 1 from the recording, then a model that calls the tool with a call id never recorded.
  const then = new ScriptedModel([callTurn('lookup_order', { order: '1234' }, 'call_unrecorded'), textTurn(ORDERS_ANSWER)]);
  const app = ordersApp();
  const error = await drain(await rerunner({ tools: 'recorded', until: 1, then }).run(app.triage, ORDERS_QUESTION, { stream: true }));
  expect(app.lookups).toEqual([]);
  expect(String(error)).toContain(`tool lookup_order: run ${sourceId} holds no output for its call call_unrecorded, and tools: 'recorded' does not run it`);
});

it('a frozen tool cannot be served: the re-run fails before it starts, naming agent and tool', async () => {
  const app = ordersApp();
  Object.freeze(app.orders.tools[0]);
  const error = await rerunner({ tools: 'recorded' }).run(app.triage, ORDERS_QUESTION).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect((error as Error).message).toBe('agent Orders: its tool lookup_order cannot take the patch (a frozen tool or a fixed invoke), so a re-run cannot serve its recorded outputs (its code would run)');
  expect(app.lookups).toEqual([]);
});
