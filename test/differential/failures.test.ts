import { assistantMessage, modelError } from '@openai/agents/testing';
import { expect } from 'vitest';
import { cityTool, scriptedAgent, textAgent, weatherAgent } from './agents.js';
import { differential, type App, type Observation } from './harness.js';
import { Turns, gate } from './turns.js';

const reset = () => new Error('model connection reset');
const events = (sdk: Observation) => sdk.log.filter((line) => /^(raw|item|agent) /.test(line));

/** A weather agent whose tool throws; `errorFunction: null` makes the SDK fail the run instead of telling the model. */
function failingToolAgent(app: App) {
  const turns = new Turns();
  const failing = cityTool(async () => { throw new Error('weather service down'); }, { errorFunction: null });
  return scriptedAgent(app, 'Weather', [turns.call('get_weather', { city: 'Paris' }, 'call_weather', ['Checking'])], { tools: [failing] });
}

/** The model streams response_started and three deltas, then the connection drops. */
const failingLate = (app: App) => textAgent(app, { text: 'One two three four', chunks: 4, failAfter: { deltas: 3, error: reset() } });

/** The model fails before its first event. */
const failingEarly = (app: App) => scriptedAgent(app, 'Early', [modelError(reset())]);

differential([
  {
    // Difference 1 of the issue: the SDK's stream drops the events nobody read when the run fails.
    name: 'a failed run read late: completed first, then the loop',
    async play(app) {
      const result = await app.start(failingLate(app), 'Count.');
      await app.awaitCompleted(result);
      await app.read(result);
    },
    premise: (sdk) => {
      expect(events(sdk)).toEqual([]);
      expect(sdk.log).toContain('loop: threw Error: model connection reset');
    },
    // What the application never saw is still what the run produced: it belongs in the recording.
    recorded: ([stored]) =>
      expect(stored!.slice(1, 5).map((e) => e.name)).toEqual(['response_started', 'output_text_delta', 'output_text_delta', 'output_text_delta']),
  },
  {
    // Difference 1 of the issue, second case.
    name: 'a tool that throws with errorFunction null, an application taking 1 ms per event',
    async play(app) {
      const result = await app.start(failingToolAgent(app), 'Weather in Paris?');
      await app.readSlowly(result, 1);
      await app.awaitCompleted(result);
    },
    premise: (sdk) => {
      expect(events(sdk)).toEqual(['raw response_started']);
      expect(sdk.log).toContain('loop: threw ToolCallError: Failed to run function tools: Error: weather service down');
    },
    recorded: ([stored]) => expect(stored!.map((e) => e.name)).toEqual(expect.arrayContaining(['output_text_delta', 'response_done', 'tool_called'])),
  },
  {
    name: 'a tool that throws with errorFunction null, read as it streams',
    async play(app) {
      const result = await app.start(failingToolAgent(app), 'Weather in Paris?');
      await app.read(result);
    },
  },
  {
    name: 'a tool that throws with errorFunction null, read late',
    async play(app) {
      const result = await app.start(failingToolAgent(app), 'Weather in Paris?');
      await app.awaitCompleted(result);
      await app.read(result);
    },
  },
  {
    name: 'model error early, read as it streams',
    async play(app) {
      const result = await app.start(failingEarly(app), 'Hi.');
      await app.read(result);
      await app.awaitCompleted(result);
    },
    premise: (sdk) => expect(sdk.runs[0]!.error).toBe('Error: model connection reset'),
  },
  {
    name: 'model error early, an application taking 5 ms per event',
    async play(app) {
      const result = await app.start(failingEarly(app), 'Hi.');
      await app.readSlowly(result, 5);
    },
  },
  {
    name: 'model error early, read late',
    async play(app) {
      const result = await app.start(failingEarly(app), 'Hi.');
      await app.awaitCompleted(result);
      await app.read(result);
    },
  },
  {
    name: 'model error late, read as it streams',
    async play(app) {
      const result = await app.start(failingLate(app), 'Count.');
      await app.read(result);
      await app.awaitCompleted(result);
    },
    premise: (sdk) => expect(events(sdk)).toHaveLength(4),
  },
  {
    name: 'model error late, an application taking 5 ms per event',
    async play(app) {
      const result = await app.start(failingLate(app), 'Count.');
      await app.readSlowly(result, 5);
      await app.awaitCompleted(result);
    },
    premise: (sdk) => expect(events(sdk)).toEqual(['raw response_started']),
  },
  {
    name: 'model error while the application waits inside the loop for the model',
    async play(app) {
      const fail = gate();
      const agent = textAgent(app, { text: 'One two three four', chunks: 4, before: { 2: fail }, failAfter: { deltas: 3, error: reset() } });
      const result = await app.start(agent, 'Count.');
      await app.read(result, (_event, index) => {
        // The model goes on only once the application has seen its second event: read and failure interleave.
        if (index === 1) fail.open();
      });
    },
  },
  {
    name: 'model error, read through toTextStream',
    async play(app) {
      const result = await app.start(failingLate(app), 'Count.');
      await app.readText(result);
      await app.awaitCompleted(result);
    },
  },
  {
    name: 'model error in the agent handed off to, an application taking 2 ms per event',
    async play(app) {
      const turns = new Turns();
      const second = scriptedAgent(app, 'Second', [turns.stream([assistantMessage('never')], ['a', 'b'], { failAfter: { deltas: 1, error: reset() } })]);
      const first = scriptedAgent(app, 'First', [turns.call('transfer_to_Second', {}, 'call_handoff')], { handoffs: [second] });
      const result = await app.start(first, 'Go.');
      await app.readSlowly(result, 2);
    },
  },
  {
    name: 'a tool that throws after the handoff, read as it streams',
    async play(app) {
      const turns = new Turns();
      const weather = weatherAgent(app, turns, cityTool(async () => { throw new Error('weather service down'); }, { errorFunction: null }));
      const triage = scriptedAgent(app, 'Triage', [turns.call('transfer_to_Weather', {}, 'call_handoff')], { handoffs: [weather] });
      const result = await app.start(triage, 'Weather?');
      await app.read(result);
      await app.awaitCompleted(result);
    },
  },
]);
