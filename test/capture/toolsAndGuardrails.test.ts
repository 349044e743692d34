import {
  Agent,
  InputGuardrailTripwireTriggered,
  Runner,
  ToolGuardrailFunctionOutputFactory,
  defineToolInputGuardrail,
  tool,
  type RunStreamEvent,
} from '@openai/agents';
import { ScriptedModel } from '@openai/agents/testing';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { withCapture } from '../../src/capture/captureContext.js';
import { captureGuardrailResults, guardrailResultsOfError, observeToolGuardrails } from '../../src/capture/guardrails.js';
import { endToolCalls, observeToolCalls } from '../../src/capture/toolCalls.js';
import { CollectingSink } from '../support/collectingSink.js';
import { callTurn, textTurn } from '../support/scriptedTurns.js';

const noSecrets = defineToolInputGuardrail({
  name: 'no_secrets',
  run: async ({ toolCall }) =>
    toolCall.arguments.includes('password') ? ToolGuardrailFunctionOutputFactory.rejectContent('no secrets') : ToolGuardrailFunctionOutputFactory.allow({ checked: true }),
});

/** An agent that looks up two orders (the second lookup fails) and then answers. */
function lookupAgent(options: { inputTripwire?: boolean } = {}) {
  const lookupOrder = tool({
    name: 'lookup_order',
    description: 'Find an order by id',
    parameters: z.object({ id: z.string() }),
    inputGuardrails: [noSecrets],
    execute: async ({ id }) => {
      if (id === 'missing') throw new Error('order missing not found');
      return `order ${id}: shipped`;
    },
  });
  return new Agent({
    name: 'Orders',
    instructions: 'Look orders up.',
    model: new ScriptedModel([callTurn('lookup_order', { id: '42' }, 'call_1'), callTurn('lookup_order', { id: 'missing' }, 'call_2'), textTurn('Order 42 shipped.')]),
    tools: [lookupOrder],
    inputGuardrails: [
      { name: 'polite', execute: async ({ input }) => ({ tripwireTriggered: options.inputTripwire === true, outputInfo: { input } }) },
    ],
    outputGuardrails: [{ name: 'short_answer', execute: async ({ agentOutput }) => ({ tripwireTriggered: false, outputInfo: { length: String(agentOutput).length } }) }],
  });
}

async function drain(result: AsyncIterable<RunStreamEvent> & { completed: Promise<void> }): Promise<RunStreamEvent[]> {
  const seen: RunStreamEvent[] = [];
  for await (const event of result) seen.push(event);
  await result.completed;
  return seen;
}

/** The output the model was handed for a tool call, as the run's `tool_output` item carries it. */
function toolOutputOf(events: RunStreamEvent[], callId: string): unknown {
  for (const event of events) {
    if (event.type !== 'run_item_stream_event' || event.item.type !== 'tool_call_output_item') continue;
    if ((event.item.rawItem as { callId?: string }).callId === callId) return event.item.output;
  }
  return undefined;
}

describe('tool calls', () => {
  it("records each call's arguments, output and times through the runner's hooks, beside the application's own", async () => {
    const agent = lookupAgent();
    const runner = new Runner({ tracingDisabled: true });
    const appSaw: string[] = [];
    runner.on('agent_tool_start', (_c, _a, _t, details) => appSaw.push(`start ${(details.toolCall as { callId: string }).callId}`));
    runner.on('agent_tool_end', (_c, _a, _t, _r, details) => appSaw.push(`end ${(details.toolCall as { callId: string }).callId}`));
    observeToolCalls(runner);
    observeToolCalls(runner);
    const sink = new CollectingSink();
    const events = await withCapture(sink, async () => drain(await runner.run(agent, 'Where is order 42?', { stream: true })));

    expect(appSaw).toEqual(['start call_1', 'end call_1', 'start call_2', 'end call_2']);
    // Ended calls are held until the next model call starts (not captured here) or the run ends.
    endToolCalls(sink, undefined);
    expect(sink.records.toolCall).toMatchObject([
      { callId: 'call_1', tool: 'lookup_order', agent: 'Orders', arguments: '{"id":"42"}', output: null, error: null },
      { callId: 'call_2', tool: 'lookup_order', agent: 'Orders', arguments: '{"id":"missing"}', output: null, error: null },
    ]);
    // Outputs are not stored twice: the run's tool_output items carry them, a failed tool's error text too.
    expect(toolOutputOf(events, 'call_1')).toBe('order 42: shipped');
    expect(toolOutputOf(events, 'call_2')).not.toBe('');
    for (const call of sink.records.toolCall) expect(call.endUs).toBeGreaterThan(call.startUs);
    expect(sink.records.toolCall[1]!.startUs).toBeGreaterThan(sink.records.toolCall[0]!.endUs!);
    endToolCalls(sink, undefined);
    expect(sink.records.toolCall).toHaveLength(2);

    // Outside a recorded run the listeners do nothing.
    const unrecorded = new CollectingSink();
    await drain(await runner.run(lookupAgent(), 'Where is order 42?', { stream: true }));
    endToolCalls(unrecorded, undefined);
    expect(unrecorded.records.toolCall).toEqual([]);
  });
});

describe('guardrails', () => {
  it("records input and output guardrails from the run's results and tool guardrails where they run", async () => {
    const agent = lookupAgent();
    observeToolGuardrails(agent);
    const sink = new CollectingSink();
    const result = await withCapture(sink, () => new Runner({ tracingDisabled: true }).run(agent, 'Where is order 42?', { stream: true }));
    await withCapture(sink, () => drain(result));
    captureGuardrailResults(sink, result, 'Orders');

    expect(sink.records.guardrail).toMatchObject([
      { name: 'no_secrets', kind: 'tool_input', agent: 'Orders', tripwire: false, result: { behavior: { type: 'allow' }, outputInfo: { checked: true } } },
      { name: 'no_secrets', kind: 'tool_input', agent: 'Orders', tripwire: false },
      { name: 'polite', kind: 'input', agent: 'Orders', tripwire: false, result: { input: 'Where is order 42?' }, startUs: null },
      { name: 'short_answer', kind: 'output', agent: 'Orders', tripwire: false, result: { length: 'Order 42 shipped.'.length } },
    ]);
    const toolGuardrail = sink.records.guardrail[0]!;
    expect(toolGuardrail.endUs).toBeGreaterThan(toolGuardrail.startUs!);
  });

  it('records a tripped input guardrail from the error the run fails with', async () => {
    const sink = new CollectingSink();
    const failure = await new Runner({ tracingDisabled: true }).run(lookupAgent({ inputTripwire: true }), 'Where is order 42?').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(InputGuardrailTripwireTriggered);
    captureGuardrailResults(sink, guardrailResultsOfError(failure)!, 'Orders');
    expect(sink.records.guardrail).toMatchObject([{ name: 'polite', kind: 'input', tripwire: true }]);
  });
});
