import { Agent, tool, type Model } from '@openai/agents';
import { ScriptedModel, assistantMessage, functionCall, modelStream } from '@openai/agents/testing';
import { z } from 'zod';

type StreamEvents = Parameters<typeof modelStream>[0];
type OutputItem = ReturnType<typeof assistantMessage> | ReturnType<typeof functionCall>;

const usage = { requests: 1, inputTokens: 12, outputTokens: 7, totalTokens: 19 };
let responseCounter = 0;

/** One streamed model turn: response_started, optional text deltas, response_done with the output items. */
export interface TurnOptions {
  /** Throw after this many deltas, as a dropped connection would. */
  failAfter?: number;
  /** Real time between deltas, ms; otherwise a microtask. */
  deltaDelayMs?: number;
}

export function streamedTurn(output: OutputItem[], deltas: string[] = [], options: TurnOptions = {}): ReturnType<typeof modelStream> {
  const id = `resp_${++responseCounter}`;
  async function* events(): AsyncGenerator<Awaited<StreamEvents extends Iterable<infer E> ? E : never>> {
    yield { type: 'response_started' } as never;
    for (const [i, delta] of deltas.entries()) {
      if (options.failAfter === i) throw new Error('model connection reset');
      await (options.deltaDelayMs ? new Promise((r) => setTimeout(r, options.deltaDelayMs)) : Promise.resolve());
      yield { type: 'output_text_delta', delta } as never;
    }
    if (options.failAfter === deltas.length) throw new Error('model connection reset');
    yield { type: 'response_done', response: { id, usage, output } } as never;
  }
  return modelStream(events());
}

export function textTurn(text: string, chunks = 4, options: TurnOptions = {}): ReturnType<typeof modelStream> {
  const size = Math.ceil(text.length / chunks);
  const deltas = Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
  return streamedTurn([assistantMessage(text)], deltas, options);
}

export function callTurn(name: string, args: Record<string, unknown>, callId: string): ReturnType<typeof modelStream> {
  return streamedTurn([functionCall(name, args, { callId })]);
}

export interface TwoAgentRun {
  triage: Agent;
  weather: Agent;
  text: string;
}

/**
 * Triage hands off to a weather agent, which calls a function tool and then streams its answer:
 * the run of shared/sdk-notes.md. Options bend it into an error, or an approval interruption.
 */
export function twoAgentRun(
  options: {
    failMidText?: boolean;
    needsApproval?: boolean;
    text?: string;
    deltaDelayMs?: number;
    /** The weather model starts after its tool call: as a process that resumes the interrupted run from its RunState finds it. */
    resuming?: boolean;
  } = {},
): TwoAgentRun {
  const text = options.text ?? 'It is 18°C and sunny in Paris.';
  const getWeather = tool({
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: z.object({ city: z.string() }),
    needsApproval: options.needsApproval ?? false,
    execute: async ({ city }) => `${city}: 18°C, sunny`,
  });
  const weatherModel: Model = new ScriptedModel([
    ...(options.resuming ? [] : [callTurn('get_weather', { city: 'Paris' }, 'call_weather_1')]),
    textTurn(text, 4, { ...(options.failMidText ? { failAfter: 2 } : {}), ...(options.deltaDelayMs ? { deltaDelayMs: options.deltaDelayMs } : {}) }),
  ]);
  const weather = new Agent({
    name: 'Weather Agent',
    instructions: 'Answer weather questions with the get_weather tool.',
    handoffDescription: 'Knows the weather',
    model: weatherModel,
    tools: [getWeather],
  });
  const triage = new Agent({
    name: 'Triage',
    instructions: 'Route the user to the right specialist.',
    model: new ScriptedModel([callTurn('transfer_to_Weather_Agent', {}, 'call_handoff_1')]),
    handoffs: [weather],
  });
  return { triage, weather, text };
}

/** One agent that streams one long answer, delta by delta: the text of the run is `deltas.join('')`. */
export function streamingAgent(deltas: string[], options: TurnOptions & { name?: string } = {}): Agent {
  const { name = 'Streamer', ...turnOptions } = options;
  return new Agent({
    name,
    instructions: 'Talk at length.',
    model: new ScriptedModel([streamedTurn([assistantMessage(deltas.join(''))], deltas, turnOptions)]),
  });
}
