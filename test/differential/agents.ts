import { Agent, tool, type AgentConfiguration, type Model } from '@openai/agents';
import { ScriptedModel } from '@openai/agents/testing';
import { z } from 'zod';
import type { App } from './harness.js';
import { Turns, type TurnOptions } from './turns.js';

/** Agents the scenarios share in shape; each call builds fresh objects and registers them with the app. */

export const TEXT = 'The quick brown fox jumps over the lazy dog.';

/** One agent that streams TEXT. */
export function textAgent(app: App, options: TurnOptions & { chunks?: number; text?: string } = {}): Agent {
  const turns = new Turns();
  const [agent] = app.agents(
    new Agent({ name: 'Writer', instructions: 'Write.', model: new ScriptedModel([turns.text(options.text ?? TEXT, options.chunks ?? 3, options)]) }),
  );
  return agent;
}

/** An agent over the given scripted model steps. */
export function scriptedAgent(app: App, name: string, steps: ConstructorParameters<typeof ScriptedModel>[0], extra: Partial<AgentConfiguration<unknown, any>> = {}): Agent<any, any> {
  const model: Model = new ScriptedModel(steps);
  const [agent] = app.agents(new Agent<unknown, any>({ name, instructions: `You are ${name}.`, model, ...extra }));
  return agent;
}

/** A function tool over `execute`, with the SDK's defaults unless told otherwise. */
export function cityTool(
  execute: (city: string) => Promise<string>,
  options: { errorFunction?: null | ((context: unknown, error: unknown) => string); needsApproval?: boolean } = {},
) {
  return tool({
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: z.object({ city: z.string() }),
    execute: ({ city }) => execute(city),
    ...options,
  });
}

/** Weather agent: calls get_weather for Paris, then streams an answer. */
export function weatherAgent(app: App, turns: Turns, weatherTool: ReturnType<typeof cityTool>, answer = 'It is sunny in Paris.'): Agent {
  return scriptedAgent(app, 'Weather', [turns.call('get_weather', { city: 'Paris' }, 'call_weather'), turns.text(answer)], { tools: [weatherTool] });
}
