import { expect } from 'vitest';
import { cityTool, scriptedAgent, textAgent } from './agents.js';
import { differential, type Observation } from './harness.js';
import { Turns, gate, sleep } from './turns.js';

const isEvent = (line: string) => /^(raw|item|agent) /.test(line);
const events = (sdk: Observation) => sdk.log.filter(isEvent);
/** The events the application saw after it noted `marker`. */
const eventsAfter = (sdk: Observation, marker: string) => sdk.log.slice(sdk.log.indexOf(marker) + 1).filter(isEvent);
const WORDS = Array.from({ length: 40 }, (_, i) => `w${i} `);

differential([
  {
    // Difference 2 of the issue, as it was found: real time on both sides; the model streams far longer than
    // the application lags, so on a loaded machine the abort still comes mid-stream.
    name: 'abort while the application lags: a delta every 3 ms, 14 ms asleep after the first event',
    async play(app) {
      const controller = new AbortController();
      const result = await app.start(textAgent(app, { text: WORDS.join(''), chunks: WORDS.length, everyMs: 3 }), 'Talk.', { signal: controller.signal });
      await app.read(result, async (_event, index) => {
        if (index !== 0) return;
        await sleep(14);
        controller.abort();
        app.note('abort');
      });
    },
    premise: (sdk) => {
      expect(eventsAfter(sdk, 'abort')).toEqual([]);
      expect(sdk.runs[0]!.cancelled).toBe(true);
    },
  },
  {
    // The same race made an order: the application aborts once the model has handed over four more deltas.
    name: 'abort while the application lags, four deltas produced and unread',
    async play(app) {
      const controller = new AbortController();
      const fourProduced = gate();
      const never = gate();
      const agent = textAgent(app, { text: WORDS.join(''), chunks: WORDS.length, taken: { 3: fourProduced.open }, before: { 4: never } });
      const result = await app.start(agent, 'Talk.', { signal: controller.signal });
      await app.read(result, async (_event, index) => {
        if (index !== 0) return;
        await fourProduced.opened;
        controller.abort();
        app.note('abort');
        never.open();
      });
    },
    premise: (sdk) => expect(eventsAfter(sdk, 'abort')).toEqual([]),
    recorded: ([stored]) => expect(stored!.filter((e) => e.name === 'output_text_delta').length).toBeGreaterThanOrEqual(4),
  },
  {
    name: 'abort before the run starts',
    async play(app) {
      const controller = new AbortController();
      controller.abort();
      const result = await app.start(textAgent(app), 'Write.', { signal: controller.signal });
      await app.read(result);
      await app.awaitCompleted(result);
    },
    premise: (sdk) => expect(events(sdk)).toEqual([]),
  },
  {
    name: 'abort before the run starts, an application taking 5 ms per event',
    async play(app) {
      const controller = new AbortController();
      controller.abort();
      const result = await app.start(textAgent(app), 'Write.', { signal: controller.signal });
      await app.readSlowly(result, 5);
    },
  },
  {
    name: 'abort during the run, read as it streams',
    async play(app) {
      const controller = new AbortController();
      const more = gate();
      const result = await app.start(textAgent(app, { chunks: 4, before: { 2: more } }), 'Write.', { signal: controller.signal });
      await app.read(result, (_event, index) => {
        if (index !== 1) return;
        controller.abort();
        app.note('abort');
        more.open();
      });
      await app.awaitCompleted(result);
    },
    premise: (sdk) => expect(eventsAfter(sdk, 'abort')).toEqual([]),
  },
  {
    name: 'abort during the run, an application taking 5 ms per event',
    async play(app) {
      const controller = new AbortController();
      const more = gate();
      const result = await app.start(textAgent(app, { chunks: 4, before: { 3: more } }), 'Write.', { signal: controller.signal });
      await app.readSlowly(result, 5, (_event, index) => {
        if (index !== 1) return;
        controller.abort();
        app.note('abort');
        more.open();
      });
      await app.awaitCompleted(result);
    },
    premise: (sdk) => expect(eventsAfter(sdk, 'abort')).toEqual([]),
  },
  {
    name: 'abort while a tool runs',
    async play(app) {
      const controller = new AbortController();
      const toolStarted = gate();
      const toolMayEnd = gate();
      const turns = new Turns();
      const slowTool = cityTool(async (city) => {
        toolStarted.open();
        await toolMayEnd.opened;
        return `${city}: 18°C`;
      });
      const agent = scriptedAgent(app, 'Weather', [turns.call('get_weather', { city: 'Paris' }, 'call_weather'), turns.text('Sunny.')], { tools: [slowTool] });
      const result = await app.start(agent, 'Weather?', { signal: controller.signal });
      const reading = app.read(result);
      await toolStarted.opened;
      controller.abort();
      app.note('abort');
      toolMayEnd.open();
      await reading;
      await app.awaitCompleted(result);
    },
    premise: (sdk) => expect(sdk.runs[0]!.cancelled).toBe(true),
  },
  {
    name: 'abort after the loop ended',
    async play(app) {
      const controller = new AbortController();
      const result = await app.start(textAgent(app), 'Write.', { signal: controller.signal });
      await app.read(result);
      controller.abort();
      app.note('abort');
      await app.awaitCompleted(result);
    },
    premise: (sdk) => expect(sdk.runs[0]!.outcome).toBe('completed'),
  },
  {
    // The model is done before the application's first 5 ms are over: the abort comes after the run ended.
    name: 'abort after the run ended, while an application taking 5 ms per event still reads',
    async play(app) {
      const controller = new AbortController();
      const result = await app.start(textAgent(app), 'Write.', { signal: controller.signal });
      await app.readSlowly(result, 5, (_event, index) => {
        if (index !== 1) return;
        controller.abort();
        app.note('abort');
      });
    },
    premise: (sdk) => {
      expect(eventsAfter(sdk, 'abort')).toContain('item message_output_created @Writer#0');
      expect(sdk.runs[0]!.outcome).toBe('completed');
    },
  },
  {
    name: 'abort after completed, before reading',
    async play(app) {
      const controller = new AbortController();
      const result = await app.start(textAgent(app), 'Write.', { signal: controller.signal });
      await app.awaitCompleted(result);
      controller.abort();
      app.note('abort');
      await app.read(result);
    },
    // The abort comes after the SDK detached its handler: everything is still delivered.
    premise: (sdk) => expect(eventsAfter(sdk, 'abort')).toContain('item message_output_created @Writer#0'),
  },
  {
    // Difference 3 of the issue: breaking out cancels the result even when the run itself is over.
    name: 'break after the model finished: 10 ms per event, break after the second',
    async play(app) {
      const result = await app.start(textAgent(app), 'Write.');
      await app.readSlowly(result, 10, (_event, index) => (index === 1 ? 'break' : undefined));
      app.note(`cancelled after the break: ${result.cancelled}`);
    },
    premise: (sdk) => expect(sdk.runs[0]!.cancelled).toBe(true),
  },
  {
    name: 'break on the first event while the model is still streaming',
    async play(app) {
      const more = gate();
      const result = await app.start(textAgent(app, { chunks: 4, before: { 1: more } }), 'Write.');
      await app.read(result, () => 'break');
      app.note(`cancelled after the break: ${result.cancelled}`);
      more.open();
      await app.awaitCompleted(result);
    },
    premise: (sdk) => expect(sdk.runs[0]!.cancelled).toBe(true),
  },
  {
    name: 'break on the last event',
    async play(app) {
      const result = await app.start(textAgent(app), 'Write.');
      await app.read(result, (event) => (event.type === 'run_item_stream_event' && event.name === 'message_output_created' ? 'break' : undefined));
      await app.awaitCompleted(result);
    },
    // Even with nothing left to read, a break cancels the result.
    premise: (sdk) => expect(sdk.runs[0]).toMatchObject({ cancelled: true, finalOutput: expect.any(String) }),
  },
  {
    name: 'toStream().getReader() then reader.cancel() mid-run',
    async play(app) {
      const more = gate();
      const result = await app.start(textAgent(app, { chunks: 4, before: { 2: more } }), 'Write.');
      const reader = app.stream(result).getReader();
      app.note(`read: ${JSON.stringify((await reader.read()).value?.type)}`);
      await reader.cancel('enough');
      app.note(`cancelled after reader.cancel(): ${result.cancelled}`);
      app.note(`read after cancel: ${JSON.stringify(await reader.read())}`);
      more.open();
      await app.awaitCompleted(result);
    },
    premise: (sdk) => expect(sdk.runs[0]!.cancelled).toBe(true),
  },
  {
    name: 'reader.cancel() after the model finished, an application taking 5 ms per read',
    async play(app) {
      const result = await app.start(textAgent(app), 'Write.');
      const reader = app.stream(result).getReader();
      await reader.read();
      await sleep(5);
      await reader.cancel();
      app.note(`cancelled after reader.cancel(): ${result.cancelled}`);
      await app.awaitCompleted(result);
    },
  },
]);
