/**
 * An agent module for `npx runtape record examples/weather-agent.ts "What is the weather in Paris?"`: it
 * exports the Agent to run. With OPENAI_API_KEY set the agent asks the real model; without, a scripted
 * model plays a fixed exchange (it calls the tool for Paris, then answers), so the command runs offline.
 */
import { Agent, tool } from '@openai/agents';
import { ScriptedModel, assistantMessage, functionCall, modelStream } from '@openai/agents/testing';

const getWeather = tool({
  name: 'get_weather',
  description: 'The current weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  strict: true,
  execute: async (args) => `${(args as { city: string }).city}: 18 °C, light rain`,
});

/** One streamed model turn: its text deltas, then the response with its output items. */
function turn(output: unknown[], deltas: string[]) {
  return modelStream([
    { type: 'response_started' },
    ...deltas.map((delta) => ({ type: 'output_text_delta' as const, delta })),
    { type: 'response_done', response: { id: `resp_${output.length}_${deltas.length}`, usage: { requests: 1, inputTokens: 20, outputTokens: deltas.length, totalTokens: 20 + deltas.length }, output } },
  ] as never);
}

const answer = ['In Paris it is ', '18 °C ', 'with light rain: ', 'take an umbrella.'];
const scripted = new ScriptedModel([
  turn([functionCall('get_weather', { city: 'Paris' }, { callId: 'call_weather' })], []),
  turn([assistantMessage(answer.join(''))], answer),
]);

export const agent = new Agent({
  name: 'Weather Agent',
  instructions: 'Answer questions about the weather; use get_weather for the facts.',
  tools: [getWeather],
  ...(process.env.OPENAI_API_KEY ? {} : { model: scripted }),
});
