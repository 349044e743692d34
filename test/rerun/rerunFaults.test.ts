/**
 * Faults on a re-run, each against the real failure: the same agents run through the SDK's own Runner and the
 * real `openai` client against the local Responses API, which fails the way the fault says (an HTTP error, a
 * dropped connection, a stall); then the recording of the run that went well is re-run with the fault. What
 * the application observes must be the same: the events it was given, the error (its class from the
 * application's `openai` package, status, message), how iteration and `completed` end.
 */
import { OpenAIProvider, Runner, setTracingDisabled, type RunStreamEvent, type StreamedRunResult } from '@openai/agents';
import OpenAI, { APIError, InternalServerError } from 'openai';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RecordingRunner, openStore, recordedRunId, recordingStored, rerunModelProvider, type Fault, type RunStore } from '../../src/index.js';
import { startFakeResponsesServer, type FakeTurn } from '../support/fakeResponsesServer.js';
import { ORDERS_ANSWER, ORDERS_QUESTION, ordersApp, unreachableProvider, type OrdersAppOptions } from '../support/ordersApp.js';
import { useSharedTempDir } from '../support/tempDb.js';

const tempDir = useSharedTempDir();
let store: RunStore;
let sourceId: string;

const HANDOFF: FakeTurn = { kind: 'function_call', name: 'transfer_to_Orders', arguments: '{}', callId: 'call_handoff_1' };
const LOOKUP: FakeTurn = { kind: 'function_call', name: 'lookup_order', arguments: '{"order":"1234"}', callId: 'call_lookup_1' };
const ANSWER = { kind: 'text', deltas: ['Order 1234 ', 'shipped yesterday; ', 'it arrives Friday.'] } as const satisfies FakeTurn;

/** What an application sees of a run: its events (without the ids and times a server stamps), its error, its end. */
interface Observed {
  events: string[];
  error: { class: unknown; status?: unknown; message: string; cause?: string } | null;
  /** The error iteration threw is the one `completed` rejected with, and `result.error`. */
  sameError: boolean;
  completed: 'resolved' | 'rejected';
  finalOutput: unknown;
}

function eventSignature(event: RunStreamEvent): string {
  if (event.type === 'raw_model_stream_event') {
    const data = event.data as { type: string; delta?: string; event?: { type?: string; delta?: string } };
    if (data.type === 'model') return `raw model ${data.event?.type}${data.event?.delta ? ` ${data.event.delta}` : ''}`;
    return `raw ${data.type}${data.delta ? ` ${data.delta}` : ''}`;
  }
  if (event.type === 'run_item_stream_event') return `item ${event.name}`;
  return `agent ${event.agent.name}`;
}

/** Reads the run as an application does; `abort` ends it (its signal) once it has seen the event `abort.at`. */
async function observe(result: StreamedRunResult<any, any>, abort?: { at: string; controller: AbortController }): Promise<Observed> {
  const events: string[] = [];
  let thrown: unknown;
  try {
    for await (const event of result) {
      events.push(eventSignature(event));
      if (abort && events.at(-1) === abort.at) abort.controller.abort();
    }
  } catch (error) {
    thrown = error;
  }
  const settled = await result.completed.then(
    () => ({ completed: 'resolved' as const, error: undefined }),
    (error: unknown) => ({ completed: 'rejected' as const, error }),
  );
  const error = thrown as (Error & { status?: unknown }) | undefined;
  return {
    events,
    error: error
      ? {
          class: error.constructor,
          ...('status' in error ? { status: error.status } : {}),
          message: error.message,
          ...(error.cause ? { cause: String(error.cause) } : {}),
        }
      : null,
    sameError: settled.error === thrown && (result.error ?? undefined) === thrown,
    completed: settled.completed,
    finalOutput: settled.completed === 'resolved' ? result.finalOutput : undefined,
  };
}

/** The real failure: the SDK's own Runner, the real client (retrying as configured) against a server that fails so. */
async function realRun(turns: FakeTurn[], client: { maxRetries?: number } = {}, appOptions: OrdersAppOptions = {}, abortAt?: string) {
  const server = await startFakeResponsesServer(turns);
  try {
    const openai = new OpenAI({ baseURL: server.url, apiKey: 'test-key', ...client });
    const app = ordersApp(appOptions);
    const runner = new Runner({ modelProvider: new OpenAIProvider({ openAIClient: openai, useResponses: true }) });
    const controller = new AbortController();
    const result = await runner.run(app.triage, ORDERS_QUESTION, { stream: true, signal: controller.signal });
    const observed = await observe(result, abortAt ? { at: abortAt, controller } : undefined);
    return { observed, requests: server.requests.length, lookups: app.lookups };
  } finally {
    await server.close();
  }
}

/** The fault: the recording of the run that went well, re-run offline with the fault injected. */
async function faultedRerun(faults: Fault[], appOptions: OrdersAppOptions = {}, abortAt?: string) {
  const app = ordersApp(appOptions);
  const runner = new RecordingRunner({ modelProvider: unreachableProvider }, { db: store, rerun: { run: sourceId, faults } });
  const controller = new AbortController();
  const result = await runner.run(app.triage, ORDERS_QUESTION, { stream: true, signal: controller.signal });
  const observed = await observe(result, abortAt ? { at: abortAt, controller } : undefined);
  await recordingStored(result);
  return { observed, lookups: app.lookups, run: (await store.getRun(recordedRunId(result)!))! };
}

beforeAll(async () => {
  setTracingDisabled(true);
  store = await openStore(join(tempDir(), 'runs.db'));
  const server = await startFakeResponsesServer([HANDOFF, LOOKUP, ANSWER]);
  const openai = new OpenAI({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0 });
  const runner = new RecordingRunner({ modelProvider: new OpenAIProvider({ openAIClient: openai, useResponses: true }) }, { db: store, name: 'source' });
  const result = await runner.run(ordersApp().triage, ORDERS_QUESTION, { stream: true });
  expect((await observe(result)).finalOutput).toBe(ORDERS_ANSWER);
  await recordingStored(result);
  sourceId = recordedRunId(result)!;
  await server.close();
});

afterAll(async () => {
  await store?.close();
});

it('a server error at call 3: the InternalServerError of the application openai package, after the client retried as configured', async () => {
  const status = 500;
  const message = 'The server had an error while processing your request.';
  // The client retries a 5xx twice by default: a server that keeps failing the call fails all three attempts.
  const real = await realRun([HANDOFF, LOOKUP, ...Array.from({ length: 3 }, () => ({ kind: 'error', status, message }) as const)]);
  expect(real.requests).toBe(5);
  expect(real.observed.error).toMatchObject({ class: InternalServerError, status, message: `500 ${message}` });

  const faulted = await faultedRerun([{ kind: 'serverError', call: 3, status, message }]);
  expect(faulted.observed).toEqual(real.observed);
  expect(faulted.observed).toMatchObject({ sameError: true, completed: 'rejected' });
  // The tool before the failing call ran, as it did for real.
  expect(faulted.lookups).toEqual(real.lookups);
  expect(faulted.run).toMatchObject({ status: 'error', error: { message: `500 ${message}` } });
});

it('a server error with another status is the class the client makes of it (429: RateLimitError)', async () => {
  const real = await realRun([HANDOFF, { kind: 'error', status: 429, message: 'Rate limit reached' }], { maxRetries: 0 });
  const faulted = await faultedRerun([{ kind: 'serverError', call: 2, status: 429, message: 'Rate limit reached' }]);
  expect(faulted.observed).toEqual(real.observed);
  expect(faulted.observed.error?.class).not.toBe(InternalServerError);
  expect(faulted.observed.error?.class).toBe(OpenAI.RateLimitError);
  expect((faulted.observed.error?.class as { prototype: object }).prototype).toBeInstanceOf(APIError);
});

it('the stream cut after event 7 of call 3: the events before the cut, then the TypeError the dropped connection gives', async () => {
  // 5 SSE events reach the client: response.created, in_progress, output_item.added, content_part.added and the
  // first delta, which the SDK hands on as 7 events (created and the delta each with their normalized twin).
  const real = await realRun([HANDOFF, LOOKUP, { ...ANSWER, cutAfter: 5 }]);
  expect(real.observed.error).toMatchObject({ class: TypeError, message: 'terminated' });

  const faulted = await faultedRerun([{ kind: 'streamCut', call: 3, afterEvent: 7 }]);
  expect(faulted.observed).toEqual(real.observed);
  expect(faulted.observed.events.filter((e) => e.startsWith('raw')).slice(-2)).toEqual(['raw output_text_delta Order 1234 ', 'raw model response.output_text.delta Order 1234 ']);
  expect(faulted.observed).toMatchObject({ sameError: true, completed: 'rejected' });
});

it('a stall: the run waits, then goes on and ends as recorded', async () => {
  const real = await realRun([HANDOFF, LOOKUP, { ...ANSWER, stall: { after: 4, ms: 50 } }]);
  const faulted = await faultedRerun([{ kind: 'stall', call: 3, afterEvent: 5, ms: 50 }]);
  expect(faulted.observed).toEqual(real.observed);
  expect(faulted.observed).toMatchObject({ error: null, completed: 'resolved', finalOutput: ORDERS_ANSWER });
});

it('a stall longer than the SDK model timeout: the same ModelTimeoutError after the same events', async () => {
  const withTimeout = { modelSettings: { timeoutMs: 1500 } };
  const real = await realRun([HANDOFF, LOOKUP, { ...ANSWER, stall: { after: 4, ms: 60_000 } }], {}, withTimeout);
  expect(real.observed.error).toMatchObject({ message: expect.stringMatching(/timed out/i) });

  const faulted = await faultedRerun([{ kind: 'stall', call: 3, afterEvent: 5, ms: 60_000 }], withTimeout);
  expect(faulted.observed).toEqual(real.observed);
});

it('a stall the application aborts (its signal, once it saw the last event before the stall): the same end of the run', async () => {
  const stalled = 'raw model response.content_part.added';
  const real = await realRun([HANDOFF, LOOKUP, { ...ANSWER, stall: { after: 4, ms: 60_000 } }], {}, {}, stalled);
  expect(real.observed.events.at(-1)).toBe(stalled);
  const faulted = await faultedRerun([{ kind: 'stall', call: 3, afterEvent: 5, ms: 60_000 }], {}, stalled);
  expect(faulted.observed).toEqual(real.observed);
});

it('a non-streamed run: the same rejection as the real server error gives', async () => {
  const describe = (error: unknown) => ({ class: (error as Error).constructor, status: (error as APIError).status, message: (error as Error).message });
  const server = await startFakeResponsesServer([HANDOFF, { kind: 'error', status: 502, message: 'Bad gateway' }]);
  const openai = new OpenAI({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0 });
  const real = await new Runner({ modelProvider: new OpenAIProvider({ openAIClient: openai, useResponses: true }) })
    .run(ordersApp().triage, ORDERS_QUESTION)
    .then(() => undefined, describe);
  await server.close();
  const runner = new RecordingRunner({ modelProvider: unreachableProvider }, { db: store, rerun: { run: sourceId, faults: [{ kind: 'serverError', call: 2, status: 502, message: 'Bad gateway' }] } });
  const faulted = await runner.run(ordersApp().triage, ORDERS_QUESTION).then(() => undefined, describe);
  expect(faulted).toEqual(real);
  expect(faulted).toEqual({ class: InternalServerError, status: 502, message: '502 Bad gateway' });
});

it('rerunModelProvider takes faults too, for the SDK own Runner', async () => {
  const app = ordersApp();
  const provider = await rerunModelProvider(app.triage, { run: sourceId, db: store, faults: [{ kind: 'serverError', call: 1, status: 503, message: 'Overloaded' }] });
  const observed = await observe(await new Runner({ modelProvider: provider }).run(app.triage, ORDERS_QUESTION, { stream: true }));
  expect(observed).toMatchObject({ events: [], error: { class: InternalServerError, status: 503, message: '503 Overloaded' }, sameError: true, completed: 'rejected' });
});

it('a fault the recording cannot hold fails before the run, in one line', async () => {
  const app = ordersApp();
  const runner = (faults: Fault[]) => new RecordingRunner({ modelProvider: unreachableProvider }, { db: store, rerun: { run: sourceId, faults } });
  await expect(runner([{ kind: 'serverError', call: 9, status: 500, message: 'x' }]).run(app.triage, ORDERS_QUESTION)).rejects.toThrow(
    `fault serverError at call 9: run ${sourceId} has no such model call (it has 3)`,
  );
  await expect(runner([{ kind: 'streamCut', call: 1, afterEvent: 999 }]).run(app.triage, ORDERS_QUESTION)).rejects.toThrow(
    /^fault streamCut at call 1: afterEvent 999 is not within the call's \d+ events$/,
  );
  expect(app.lookups).toEqual([]);
});
