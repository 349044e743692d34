import { Agent, InputGuardrailTripwireTriggered, handoff, tool, ToolGuardrailFunctionOutputFactory, defineToolInputGuardrail, type HandoffInputData } from '@openai/agents';
import { ScriptedModel, assistantMessage, functionCall, modelResponse } from '@openai/agents/testing';
import { join } from 'node:path';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { RecordingRunner, openStore, recordedRunId, recordingStored } from '../src/index.js';
import { runCli } from './support/cli.js';
import { callTurn, textTurn } from './support/scriptedTurns.js';
import { useTempDir } from './support/tempDb.js';

const tempDir = useTempDir();
const QUESTION = 'Where is my order 42?';

/** Keeps only the handoff's own items: the next agent does not see the conversation so far. */
function dropHistory(data: HandoffInputData): HandoffInputData {
  return { ...data, inputHistory: [], preHandoffItems: [] };
}

/** A model turn that calls a tool (or hands off), streamed or not. */
const call = (stream: boolean, name: string, args: Record<string, unknown>, callId: string) =>
  stream ? callTurn(name, args, callId) : modelResponse([functionCall(name, args, { callId })]);
const answer = (stream: boolean, text: string) => (stream ? textTurn(text) : modelResponse([assistantMessage(text)]));

/**
 * Triage (with an input guardrail) hands off to Orders through `dropHistory`; Orders, whose instructions are
 * a function of the run context, looks the order up (a tool with a tool guardrail) and answers.
 */
function ordersDesk(stream: boolean) {
  const lookupOrder = tool({
    name: 'lookup_order',
    description: 'Find an order by id',
    parameters: z.object({ id: z.string() }),
    inputGuardrails: [defineToolInputGuardrail({ name: 'order_ids_only', run: async () => ToolGuardrailFunctionOutputFactory.allow() })],
    execute: async ({ id }) => `order ${id}: ships tomorrow`,
  });
  const orders = new Agent<{ desk: string }>({
    name: 'Orders',
    instructions: (context) => `You answer order questions for the ${context.context.desk} desk.`,
    model: new ScriptedModel([call(stream, 'lookup_order', { id: '42' }, 'call_lookup'), answer(stream, 'Order 42 ships tomorrow.')]),
    tools: [lookupOrder],
  });
  const triage = new Agent<{ desk: string }>({
    name: 'Triage',
    instructions: 'Route the user.',
    model: new ScriptedModel([call(stream, 'transfer_to_Orders', {}, 'call_handoff')]),
    handoffs: [handoff(orders, { inputFilter: dropHistory })],
    inputGuardrails: [{ name: 'on_topic', execute: async () => ({ tripwireTriggered: false, outputInfo: { onTopic: true } }) }],
  });
  return triage;
}

describe('a recorded run: what its handoff filters, tools and guardrails did', () => {
  for (const stream of [true, false]) {
    it(`stores them and shows them in runtape handoffs (${stream ? 'streamed' : 'non-streamed'})`, async () => {
      const db = join(tempDir(), 'runs.db');
      const store = await openStore(db);
      const runner = new RecordingRunner({ tracingDisabled: true }, { db: store });
      const result = stream
        ? await runner.run(ordersDesk(stream), QUESTION, { stream: true, context: { desk: 'EU' } })
        : await runner.run(ordersDesk(stream), QUESTION, { context: { desk: 'EU' } });
      if ('completed' in result) {
        for await (const _ of result);
        await result.completed;
      }
      await recordingStored(result);
      const runId = recordedRunId(result)!;

      const [handoffRecord] = await store.captures(runId, 'handoff');
      expect(handoffRecord).toMatchObject({ callId: 'call_handoff', from: 'Triage', to: 'Orders', filter: { name: 'dropHistory', source: 'handoff' }, call: 1 });
      expect(JSON.stringify(handoffRecord!.before)).toContain(QUESTION);
      expect(JSON.stringify(handoffRecord!.after)).not.toContain(QUESTION);
      expect(await store.captures(runId, 'toolCall')).toMatchObject([
        { callId: 'call_lookup', tool: 'lookup_order', agent: 'Orders', arguments: '{"id":"42"}', output: null, error: null },
      ]);
      expect((await store.captures(runId, 'guardrail')).map((g) => [g.kind, g.name, g.agent, g.tripwire])).toEqual([
        ['tool_input', 'order_ids_only', 'Orders', false],
        ['input', 'on_topic', 'Triage', false],
      ]);
      const calls = await store.captures(runId, 'modelCall');
      expect(calls.find((c) => c.agent === 'Orders')?.instructions).toBe('You answer order questions for the EU desk.');
      await store.close();

      const json = JSON.parse(runCli(['handoffs', runId, '--json'], { db }).stdout);
      expect(json.handoffs).toHaveLength(1);
      const [shown] = json.handoffs;
      expect(shown).toMatchObject({ from: 'Triage', to: 'Orders', callId: 'call_handoff', call: calls.find((c) => c.agent === 'Triage')!.call });
      expect(shown.inputFilter).toMatchObject({ name: 'dropHistory', source: 'handoff' });
      expect(JSON.stringify(shown.inputFilter.before)).toContain(QUESTION);
      expect(JSON.stringify(shown.inputFilter.after)).not.toContain(QUESTION);

      const human = runCli(['handoffs', runId], { db });
      expect(human.status).toBe(0);
      expect(human.stdout).toContain('requested by call 1\n');
      expect(human.stdout).toContain(`filter dropHistory removed 1 of 3 items: user "${QUESTION}"`);
    });
  }

  it("records the runner's own run-level filter, and says when a handoff had no filter", async () => {
    const db = join(tempDir(), 'runs.db');
    const store = await openStore(db);
    const keepNewItems = (data: HandoffInputData): HandoffInputData => ({ ...data, inputHistory: [] });
    const runner = new RecordingRunner({ tracingDisabled: true, handoffInputFilter: keepNewItems }, { db: store });
    const unfiltered = new RecordingRunner({ tracingDisabled: true }, { db: store });
    const plainDesk = () => {
      const orders = new Agent({ name: 'Orders', instructions: 'Answer.', model: new ScriptedModel([answer(false, 'Soon.')]) });
      return new Agent({ name: 'Triage', instructions: 'Route.', model: new ScriptedModel([call(false, 'transfer_to_Orders', {}, 'call_h')]), handoffs: [orders] });
    };
    const filtered = await runner.run(plainDesk(), QUESTION);
    const plain = await unfiltered.run(plainDesk(), QUESTION);
    await Promise.all([recordingStored(filtered), recordingStored(plain)]);
    await store.close();

    const withFilter = JSON.parse(runCli(['handoffs', recordedRunId(filtered)!, '--json'], { db }).stdout).handoffs[0];
    expect(withFilter.inputFilter).toMatchObject({ name: 'keepNewItems', source: 'runConfig' });
    expect(runCli(['handoffs', recordedRunId(filtered)!], { db }).stdout).toContain(`filter keepNewItems (run config) removed 1 of 3 items: user "${QUESTION}"`);
    // A handoff without a filter has its record too: filter none, before and after the same, what Orders was sent.
    const without = JSON.parse(runCli(['handoffs', recordedRunId(plain)!, '--json'], { db }).stdout).handoffs[0];
    expect(without).toMatchObject({ inputFilter: { name: null, source: null }, call: 1 });
    expect(without.inputFilter.after).toEqual(without.inputFilter.before);
    expect(JSON.stringify(without.inputFilter.before)).toContain(QUESTION);
    expect(JSON.stringify(without.inputFilter.before)).toContain('transfer_to_Orders');
    expect(runCli(['handoffs', recordedRunId(plain)!], { db }).stdout).toContain('no input filter: the next agent was sent all 3 items');
  });

  for (const stream of [true, false]) {
    it(`stores a tripped input guardrail of a run that failed on it (${stream ? 'streamed' : 'non-streamed'})`, async () => {
      const store = await openStore(join(tempDir(), 'runs.db'));
      const agent = new Agent({
        name: 'Triage',
        instructions: 'Route.',
        model: new ScriptedModel([answer(stream, 'Hello.')]),
        inputGuardrails: [{ name: 'no_orders', execute: async () => ({ tripwireTriggered: true, outputInfo: { reason: 'orders are closed' } }) }],
      });
      const runner = new RecordingRunner({ tracingDisabled: true }, { db: store });
      let failure: unknown;
      if (stream) {
        const result = await runner.run(agent, QUESTION, { stream: true });
        failure = await (async () => {
          for await (const _ of result);
          await result.completed;
        })().catch((error: unknown) => error);
        await recordingStored(result);
      } else {
        failure = await runner.run(agent, QUESTION).catch((error: unknown) => error);
      }
      expect(failure).toBeInstanceOf(InputGuardrailTripwireTriggered);
      // The run's end is stored after its captures (a non-streamed failure has no result to await).
      await expect.poll(async () => (await store.listRuns({ limit: 1 }))[0]?.status, { timeout: 5000 }).toBe('error');
      const [run] = await store.listRuns({ limit: 1 });
      const guardrails = await store.captures(run!.id, 'guardrail');
      await store.close();
      expect(guardrails).toMatchObject([{ name: 'no_orders', kind: 'input', agent: 'Triage', tripwire: true, result: { reason: 'orders are closed' } }]);
    });
  }
});
