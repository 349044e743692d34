import { Agent, MemorySession, handoff, type HandoffInputData } from '@openai/agents';
import { ScriptedModel, assistantMessage, modelResponse } from '@openai/agents/testing';
import { expect } from 'vitest';
import { z } from 'zod';
import { cityTool, scriptedAgent, textAgent, weatherAgent } from './agents.js';
import { differential, type Observation } from './harness.js';
import { Turns, gate } from './turns.js';

const events = (sdk: Observation) => sdk.log.filter((line) => /^(raw|item|agent) /.test(line));

/** Keeps only the last input item: what a handoff filter that drops the history passes on. */
const lastInputOnly = (data: HandoffInputData): HandoffInputData => ({
  ...data,
  inputHistory: typeof data.inputHistory === 'string' ? data.inputHistory : data.inputHistory.slice(-1),
  preHandoffItems: [],
  newItems: [],
});

/** Triage hands off to an agent that answers with the input it saw; `options` place a filter. */
function handoffRun(app: Parameters<typeof textAgent>[0], filter: 'none' | 'handoff' | 'runConfig' | 'both') {
  const turns = new Turns();
  const echo = scriptedAgent(app, 'Echo', [turns.echoInput()], { handoffDescription: 'Repeats what it saw' });
  const target = filter === 'handoff' || filter === 'both' ? handoff(echo, { inputFilter: lastInputOnly }) : echo;
  const triage = scriptedAgent(app, 'Triage', [turns.call('transfer_to_Echo', {}, 'call_handoff', ['Handing', ' over'])], { handoffs: [target] });
  // A run-level filter that would keep nothing: a handoff's own filter wins over it.
  const config = filter === 'runConfig' || filter === 'both' ? { handoffInputFilter: (data: HandoffInputData) => ({ ...data, preHandoffItems: [], newItems: [] }) } : undefined;
  return { triage, config };
}

differential([
  {
    name: 'plain text, read as it streams',
    async play(app) {
      const result = await app.start(textAgent(app), 'Write.');
      await app.read(result);
      await app.awaitCompleted(result);
    },
    premise: (sdk) => expect(events(sdk)).toContain('raw output_text_delta'),
  },
  {
    name: 'plain text, an application taking 5 ms per event',
    async play(app) {
      const result = await app.start(textAgent(app), 'Write.');
      await app.readSlowly(result, 5);
      await app.awaitCompleted(result);
    },
  },
  {
    name: 'plain text, the application only awaits completed',
    async play(app) {
      const result = await app.start(textAgent(app), 'Write.');
      await app.awaitCompleted(result);
    },
  },
  {
    // Difference 4 of the issue.
    name: 'after a full loop: the lock, a second loop, toTextStream',
    async play(app) {
      const result = await app.start(textAgent(app), 'Write.');
      await app.read(result);
      app.note(`locked after the loop: ${(result.toStream() as unknown as ReadableStream).locked}`);
      await app.read(result);
      await app.readText(result);
    },
    premise: (sdk) => expect(sdk.log).toEqual(expect.arrayContaining(['locked after the loop: false', 'text: '])),
  },
  {
    // Difference 5 of the issue.
    name: "the result is the SDK's own object: class and prototype getters",
    async play(app) {
      const result = await app.start(textAgent(app), 'Write.');
      await app.read(result);
      await app.awaitCompleted(result);
    },
    premise: (sdk) =>
      expect(sdk.runs[0]!.identity).toMatchObject({
        instanceofStreamedRunResult: true,
        constructorIsStreamedRunResult: true,
        constructorName: 'StreamedRunResult',
        getters: { cancelled: 'same as the property', completed: 'same as the property' },
      }),
  },
  {
    // Difference 6 of the issue: the SDK validates each delta as it turns it into text.
    name: 'toTextStream with a non-string delta',
    async play(app) {
      const turns = new Turns();
      const agent = scriptedAgent(app, 'Odd', [turns.stream([assistantMessage('12')], ['1', 2 as unknown as string])]);
      const result = await app.start(agent, 'Count.');
      await app.readText(result);
    },
    premise: (sdk) => expect(sdk.log.find((line) => line.startsWith('text: '))).toMatch(/threw/),
  },
  {
    name: 'toTextStream before iterating: the text, then a loop over a locked stream',
    async play(app) {
      const result = await app.start(textAgent(app), 'Write.');
      await app.readText(result);
      await app.read(result);
    },
    // A text stream read to its end releases the lock: the loop after it finds the stream closed.
    premise: (sdk) => expect(sdk.log.slice(-2)).toEqual([expect.stringMatching(/^text: \[/), 'loop: ended']),
  },
  {
    name: 'toTextStream after iterating',
    async play(app) {
      const result = await app.start(textAgent(app), 'Write.');
      await app.read(result);
      await app.readText(result);
    },
  },
  {
    name: 'toTextStream while the model is still streaming',
    async play(app) {
      const more = gate();
      const result = await app.start(textAgent(app, { chunks: 4, before: { 2: more } }), 'Write.');
      const text = app.readText(result);
      setTimeout(more.open, 5);
      await text;
      await app.awaitCompleted(result);
    },
  },
  {
    name: 'toTextStream as a Node stream',
    async play(app) {
      const result = await app.start(textAgent(app), 'Write.');
      await app.readText(result, { compatibleWithNodeStreams: true });
      await app.awaitCompleted(result);
    },
  },
  {
    name: 'toStream().getReader(): read to the end, release, read again',
    async play(app) {
      const result = await app.start(textAgent(app), 'Write.');
      const reader = app.stream(result).getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) app.note(`reader: ${chunk.value.type}`);
      reader.releaseLock();
      app.note(`locked after release: ${(result.toStream() as unknown as ReadableStream).locked}`);
      await app.read(result);
    },
  },
  {
    name: 'handoff without a filter',
    async play(app) {
      const { triage } = handoffRun(app, 'none');
      const result = await app.start(triage, 'Please hand me over.');
      await app.read(result);
    },
    premise: (sdk) => expect(events(sdk)).toContain('agent agent_updated @Echo#0'),
  },
  {
    name: 'handoff with its own inputFilter',
    async play(app) {
      const { triage } = handoffRun(app, 'handoff');
      const result = await app.start(triage, 'Please hand me over.');
      await app.readSlowly(result, 1);
    },
  },
  {
    name: 'handoff with RunConfig.handoffInputFilter',
    async play(app) {
      const { triage, config } = handoffRun(app, 'runConfig');
      const result = await app.start(triage, 'Please hand me over.', {}, config);
      await app.read(result);
    },
  },
  {
    name: "handoff with both filters: the handoff's own wins",
    async play(app) {
      const { triage, config } = handoffRun(app, 'both');
      const result = await app.start(triage, 'Please hand me over.', {}, config);
      await app.read(result);
    },
  },
  {
    name: 'a function tool',
    async play(app) {
      const weather = weatherAgent(app, new Turns(), cityTool(async (city) => `${city}: 18°C`));
      const result = await app.start(weather, 'Weather in Paris?');
      await app.read(result);
    },
    premise: (sdk) => expect(events(sdk)).toEqual(expect.arrayContaining(['item tool_called @Weather#0', 'item tool_output @Weather#0'])),
  },
  {
    name: "a tool that throws, the SDK's default errorFunction: the model sees the error",
    async play(app) {
      const weather = weatherAgent(app, new Turns(), cityTool(async () => { throw new Error('weather service down'); }));
      const result = await app.start(weather, 'Weather in Paris?');
      await app.readSlowly(result, 1);
    },
    premise: (sdk) => expect(sdk.runs[0]!.outcome).toBe('completed'),
  },
  {
    name: 'a tool that throws, a custom errorFunction',
    async play(app) {
      const failing = cityTool(async () => { throw new Error('weather service down'); }, { errorFunction: (_context, error) => `sorry: ${String(error)}` });
      const result = await app.start(weatherAgent(app, new Turns(), failing), 'Weather in Paris?');
      await app.read(result);
    },
  },
  {
    name: 'an agent used as a tool',
    async play(app) {
      const turns = new Turns();
      const translator = scriptedAgent(app, 'Translator', [modelResponse([assistantMessage('Bonjour')])]);
      const orchestrator = scriptedAgent(app, 'Orchestrator', [turns.call('translate', { input: 'Hello' }, 'call_translate'), turns.text('It is Bonjour.')], {
        tools: [translator.asTool({ toolName: 'translate', toolDescription: 'Translate to French' })],
      });
      const result = await app.start(orchestrator, 'Translate hello.');
      await app.read(result);
    },
    premise: (sdk) => expect(events(sdk)).toContain('item tool_output @Orchestrator#1'),
  },
  {
    name: 'structured output',
    async play(app) {
      const turns = new Turns();
      const answer = JSON.stringify({ city: 'Paris', celsius: 18 });
      const [agent] = app.agents(
        new Agent({
          name: 'Structured',
          instructions: 'Answer in JSON.',
          outputType: z.object({ city: z.string(), celsius: z.number() }),
          model: new ScriptedModel([turns.text(answer, 4)]),
        }),
      );
      const result = await app.start(agent, 'Weather?');
      await app.read(result);
    },
    premise: (sdk) => expect(sdk.runs[0]!.finalOutput).toEqual({ city: 'Paris', celsius: 18 }),
  },
  {
    name: 'two runs sharing a MemorySession',
    async play(app) {
      const turns = new Turns();
      const session = new MemorySession();
      const agent = scriptedAgent(app, 'Chat', [turns.text('Hello there.'), turns.echoInput()]);
      const first = await app.start(agent, 'Hi.', { session });
      await app.read(first);
      const second = await app.start(agent, 'Again.', { session });
      await app.read(second);
      app.note(`session: ${JSON.stringify(await session.getItems())}`);
    },
  },
  {
    name: 'maxTurns exceeded',
    async play(app) {
      const turns = new Turns();
      const loop = scriptedAgent(app, 'Loop', [turns.call('get_weather', { city: 'Paris' }, 'call_1'), turns.call('get_weather', { city: 'Rome' }, 'call_2')], {
        tools: [cityTool(async (city) => city)],
      });
      const result = await app.start(loop, 'Go.', { maxTurns: 1 });
      await app.read(result);
      await app.awaitCompleted(result);
    },
    premise: (sdk) => expect(sdk.runs[0]!.error).toMatch(/MaxTurnsExceeded/),
  },
]);

