import { Agent, RunState, type InputGuardrail, type OutputGuardrail } from '@openai/agents';
import { expect } from 'vitest';
import { cityTool, scriptedAgent } from './agents.js';
import { differential, type App } from './harness.js';
import { Turns } from './turns.js';

/** An agent whose tool needs approval: the first run stops at the tool call, the resumed one answers. */
function approvalAgent(app: App): Agent {
  const turns = new Turns();
  const guarded = cityTool(async (city) => `${city}: 18°C`, { needsApproval: true });
  return scriptedAgent(app, 'Weather', [turns.call('get_weather', { city: 'Paris' }, 'call_weather', ['Let me check']), turns.text('Sunny in Paris.')], {
    tools: [guarded],
  });
}

const tripwire = (name: string): InputGuardrail & OutputGuardrail => ({
  name,
  execute: async () => ({ outputInfo: { reason: `${name} says no` }, tripwireTriggered: true }),
});

differential([
  {
    name: 'approval: interrupted, approved, resumed from result.state',
    async play(app) {
      const agent = approvalAgent(app);
      const first = await app.start(agent, 'Weather in Paris?');
      await app.read(first);
      await app.awaitCompleted(first);
      await app.snapshot(first);
      first.state.approve(first.interruptions[0]!);
      const resumed = await app.start(agent, first.state);
      await app.read(resumed);
    },
    premise: (sdk) => expect(sdk.runs.map((r) => r.outcome)).toEqual(['interrupted', 'completed']),
  },
  {
    name: 'approval: rejected, resumed',
    async play(app) {
      const agent = approvalAgent(app);
      const first = await app.start(agent, 'Weather in Paris?');
      await app.read(first);
      await app.snapshot(first);
      first.state.reject(first.interruptions[0]!);
      const resumed = await app.start(agent, first.state);
      await app.readSlowly(resumed, 1);
    },
  },
  {
    name: 'approval: the state through RunState.fromString, then resumed',
    async play(app) {
      const agent = approvalAgent(app);
      const first = await app.start(agent, 'Weather in Paris?');
      await app.awaitCompleted(first);
      await app.snapshot(first);
      const state = await RunState.fromString(agent, first.state.toString());
      state.approve(state.getInterruptions()[0]!);
      const resumed = await app.start(agent, state);
      await app.read(resumed);
      await app.awaitCompleted(resumed);
    },
  },
  {
    name: 'approval in the agent handed off to, read slowly, resumed',
    async play(app) {
      const weather = approvalAgent(app);
      const turns = new Turns();
      const triage = scriptedAgent(app, 'Triage', [turns.call('transfer_to_Weather', {}, 'call_handoff')], { handoffs: [weather] });
      const first = await app.start(triage, 'Weather?');
      await app.readSlowly(first, 2);
      await app.snapshot(first);
      first.state.approve(first.interruptions[0]!);
      const resumed = await app.start(triage, first.state);
      await app.read(resumed);
    },
    premise: (sdk) => expect(sdk.runs[0]!.lastAgent).toBe('Weather#0'),
  },
  {
    name: 'input guardrail tripwire',
    async play(app) {
      const turns = new Turns();
      const agent = scriptedAgent(app, 'Guarded', [turns.text('Should not stream.')], { inputGuardrails: [tripwire('no_input')] });
      const result = await app.start(agent, 'Forbidden question.');
      await app.read(result);
      await app.awaitCompleted(result);
    },
    premise: (sdk) => expect(sdk.runs[0]!.error).toMatch(/^InputGuardrailTripwireTriggered/),
  },
  {
    name: 'input guardrail tripwire, read late',
    async play(app) {
      const turns = new Turns();
      const agent = scriptedAgent(app, 'Guarded', [turns.text('Should not stream.')], { inputGuardrails: [tripwire('no_input')] });
      const result = await app.start(agent, 'Forbidden question.');
      await app.awaitCompleted(result);
      await app.read(result);
    },
  },
  {
    name: 'output guardrail tripwire',
    async play(app) {
      const turns = new Turns();
      const agent = scriptedAgent(app, 'Guarded', [turns.text('A forbidden answer.')], { outputGuardrails: [tripwire('no_output')] });
      const result = await app.start(agent, 'Question.');
      await app.read(result);
      await app.awaitCompleted(result);
    },
    premise: (sdk) => expect(sdk.runs[0]!.error).toMatch(/^OutputGuardrailTripwireTriggered/),
  },
  {
    name: 'output guardrail tripwire, an application taking 2 ms per event',
    async play(app) {
      const turns = new Turns();
      const agent = scriptedAgent(app, 'Guarded', [turns.text('A forbidden answer.')], { outputGuardrails: [tripwire('no_output')] });
      const result = await app.start(agent, 'Question.');
      await app.readSlowly(result, 2);
    },
  },
]);
