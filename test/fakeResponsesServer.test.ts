/**
 * Proves the fake Responses server speaks the wire protocol well enough for the
 * REAL SDK path: openai client -> OpenAIResponsesModel -> Runner streaming.
 * The client is handed to the Runner via an explicit `modelProvider`, so no
 * default client leaks into other test files.
 */
import { afterEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { z } from 'zod';
import { Agent, OpenAIProvider, Runner, setTracingDisabled, tool, type RunStreamEvent } from '@openai/agents';
import { startFakeResponsesServer, type FakeResponsesServer, type FakeTurn } from './support/fakeResponsesServer.js';

// Belt and braces with vitest.config's OPENAI_AGENTS_DISABLE_TRACING: never export traces.
setTracingDisabled(true);

const TEXT_DELTAS = ['It is ', 'sunny ', 'in Paris', ', 22°C.'];

let server: FakeResponsesServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function runnerFor(s: FakeResponsesServer): Runner {
  const client = new OpenAI({ baseURL: s.url, apiKey: 'test-key', maxRetries: 0 });
  return new Runner({
    modelProvider: new OpenAIProvider({ openAIClient: client, useResponses: true }),
    tracingDisabled: true,
  });
}

function makeAgents(onWeather: (city: string) => void) {
  const getWeather = tool({
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      onWeather(city);
      return `sunny, 22C in ${city}`;
    },
  });
  const weather = new Agent({ name: 'Weather Agent', instructions: 'Answer weather questions.', model: 'gpt-4.1', tools: [getWeather] });
  const triage = new Agent({ name: 'Triage', instructions: 'Route the user.', model: 'gpt-4.1', handoffs: [weather] });
  return { triage, weather };
}

describe('fakeResponsesServer with the real SDK', () => {
  it('drives a streamed handoff -> tool -> text run', async () => {
    const script: FakeTurn[] = [
      // Default handoff tool name is `transfer_to_` + agent name with non-alphanumerics
      // replaced by `_` (case is kept): "Weather Agent" -> "transfer_to_Weather_Agent".
      { kind: 'function_call', name: 'transfer_to_Weather_Agent', arguments: '{}', callId: 'call_handoff_1' },
      { kind: 'function_call', name: 'get_weather', arguments: '{"city":"Paris"}', callId: 'call_weather_1' },
      { kind: 'text', deltas: TEXT_DELTAS, delayMs: 5 },
    ];
    server = await startFakeResponsesServer(script);
    const cities: string[] = [];
    const { triage, weather } = makeAgents((city) => cities.push(city));

    const result = await runnerFor(server).run(triage, 'What is the weather in Paris?', { stream: true });
    const events: RunStreamEvent[] = [];
    for await (const event of result) events.push(event);
    await result.completed;

    // Non-raw events, in order: the run's narrative.
    const narrative = events.flatMap((e) =>
      e.type === 'run_item_stream_event' ? [e.name] : e.type === 'agent_updated_stream_event' ? [`agent:${e.agent.name}`] : [],
    );
    expect(narrative).toEqual([
      'handoff_requested',
      'handoff_occurred',
      'agent:Weather Agent',
      'tool_called',
      'tool_output',
      'message_output_created',
    ]);
    const agentUpdate = events.find((e) => e.type === 'agent_updated_stream_event');
    expect(agentUpdate?.type === 'agent_updated_stream_event' && agentUpdate.agent).toBe(weather);

    const toolOutput = events.find((e) => e.type === 'run_item_stream_event' && e.name === 'tool_output');
    expect(toolOutput?.type === 'run_item_stream_event' && toolOutput.item.toJSON()).toMatchObject({
      rawItem: { callId: 'call_weather_1', output: { type: 'text', text: 'sunny, 22C in Paris' } },
    });
    expect(cities).toEqual(['Paris']);

    const raw = events.flatMap((e) => (e.type === 'raw_model_stream_event' ? [e] : []));
    const deltas = raw.flatMap((e) => (e.data.type === 'output_text_delta' ? [e.data.delta] : []));
    expect(deltas).toEqual(TEXT_DELTAS);
    expect(result.finalOutput).toBe(TEXT_DELTAS.join(''));
    expect(result.lastAgent).toBe(weather);

    // Every SSE event is re-emitted as a `model` raw event carrying the provider payload.
    const providerTypes = raw.flatMap((e) => (e.data.type === 'model' ? [(e.data.event as { type: string }).type] : []));
    expect(raw.filter((e) => e.data.type === 'model').every((e) => e.source === 'openai-responses')).toBe(true);
    expect(providerTypes.filter((t) => t === 'response.completed')).toHaveLength(3);
    expect(providerTypes.filter((t) => t === 'response.output_text.delta')).toHaveLength(TEXT_DELTAS.length);
    expect(providerTypes.filter((t) => t === 'response.function_call_arguments.delta').length).toBeGreaterThan(0);
    const sequenceNumbers = raw.flatMap((e) =>
      e.data.type === 'model' ? [(e.data.event as { sequence_number: number }).sequence_number] : [],
    );
    expect(sequenceNumbers.filter((n) => n === 0)).toHaveLength(3); // one stream per model turn

    // Usage from the three `response.completed` payloads is aggregated by the SDK.
    expect(result.state.usage.requests).toBe(3);
    expect(result.state.usage.totalTokens).toBeGreaterThan(0);

    // The SDK really talked HTTP to us: three streamed requests, with the handoff
    // tool offered first and the tool result sent back before the final turn.
    expect(server.requests).toHaveLength(3);
    const [first, , third] = server.requests as Array<{ stream: boolean; model: string; tools: Array<{ name: string }>; input: unknown[] }>;
    expect(first?.stream).toBe(true);
    expect(first?.model).toBe('gpt-4.1');
    expect(first?.tools.map((t) => t.name)).toContain('transfer_to_Weather_Agent');
    expect(third?.input).toContainEqual(expect.objectContaining({ type: 'function_call_output', call_id: 'call_weather_1' }));
  });

  it('surfaces a scripted HTTP error, and a 500 once the script is exhausted', async () => {
    server = await startFakeResponsesServer([{ kind: 'error', status: 429, message: 'slow down' }]);
    const { triage } = makeAgents(() => {});
    const runner = runnerFor(server);

    const consume = async () => {
      const result = await runner.run(triage, 'hi', { stream: true });
      for await (const _event of result) {
        // drain
      }
      await result.completed;
    };
    await expect(consume()).rejects.toMatchObject({ status: 429, message: expect.stringContaining('slow down') });
    await expect(consume()).rejects.toMatchObject({ status: 500, message: expect.stringContaining('no scripted turn') });
    expect(server.requests).toHaveLength(2);
  });
});
