/**
 * The recorder on the real HTTP path: the `openai` client streams SSE from a local fake Responses API,
 * the SDK turns it into stream events (normalized ones plus a `model` twin per SSE event), and the
 * recorder must store exactly what the application saw.
 */
import { Agent, OpenAIProvider, tool, type RunStreamEvent } from '@openai/agents';
import OpenAI from 'openai';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { z } from 'zod';
import { RecordingRunner, openStore, recordedRunId, recordingStored } from '../src/index.js';
import { startFakeResponsesServer, type FakeResponsesServer } from './support/fakeResponsesServer.js';
import { allEvents } from './support/sqlite.js';
import { useTempDir } from './support/tempDb.js';

const tempDir = useTempDir();
let server: FakeResponsesServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

it('records a two-agent handoff run through the real openai client exactly as the application saw it', async () => {
  server = await startFakeResponsesServer([
    { kind: 'function_call', name: 'transfer_to_Weather_Agent', arguments: '{}', callId: 'call_handoff_1' },
    { kind: 'function_call', name: 'get_weather', arguments: '{"city":"Paris"}', callId: 'call_weather_1' },
    { kind: 'text', deltas: ['It is ', 'sunny ', 'in Paris', ', 22°C.'], delayMs: 5 },
  ]);
  const getWeather = tool({
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => `sunny, 22C in ${city}`,
  });
  const weather = new Agent({ name: 'Weather Agent', instructions: 'Answer weather questions.', model: 'gpt-4.1', tools: [getWeather] });
  const triage = new Agent({ name: 'Triage', instructions: 'Route the user.', model: 'gpt-4.1-mini', handoffs: [weather] });
  const client = new OpenAI({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0 });
  const store = await openStore(join(tempDir(), 'runs.db'));
  const runner = new RecordingRunner(
    { modelProvider: new OpenAIProvider({ openAIClient: client, useResponses: true }), tracingDisabled: true },
    { db: store, name: 'http' },
  );

  const result = await runner.run(triage, 'What is the weather in Paris?', { stream: true });
  const seen: RunStreamEvent[] = [];
  for await (const event of result) seen.push(event);
  await result.completed;
  await recordingStored(result);
  expect(result.finalOutput).toBe('It is sunny in Paris, 22°C.');

  const runId = recordedRunId(result)!;
  const stored = await allEvents(store, runId);
  expect(stored).toHaveLength(seen.length + 1);
  expect(stored.slice(1).map((e) => e.payload)).toEqual(seen.map((e) => JSON.stringify(e)));
  expect(stored.map((e) => e.seq)).toEqual(stored.map((_, i) => i));
  // The provider's own SSE events are recorded too, as `model` raw events with their source.
  const modelEvents = stored.filter((e) => e.name === 'model');
  expect(modelEvents.length).toBeGreaterThan(15);
  expect(JSON.parse(modelEvents[0]!.payload)).toMatchObject({ source: 'openai-responses', data: { type: 'model', event: { type: 'response.created' } } });
  expect(stored.filter((e) => e.level === 'agent').map((e) => [e.name, e.agent])).toEqual([
    ['starting_agent', 'Triage'],
    ['agent_updated', 'Weather Agent'],
  ]);

  const run = (await store.getRun(runId))!;
  expect(run).toMatchObject({ status: 'completed', lastAgent: 'Weather Agent', finalOutput: 'It is sunny in Paris, 22°C.' });
  expect((await store.agents(runId)).map((a) => [a.name, a.model])).toEqual([
    ['Triage', 'gpt-4.1-mini'],
    ['Weather Agent', 'gpt-4.1'],
  ]);
  expect((run.usage as { requests: number }).requests).toBe(3);
});
