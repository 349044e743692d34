import { Agent, Runner, handoff, type HandoffInputData, type RunStreamEvent } from '@openai/agents';
import { ScriptedModel } from '@openai/agents/testing';
import { describe, expect, it } from 'vitest';
import { withCapture } from '../../src/capture/captureContext.js';
import { observeHandoffFilters, observeRunConfigFilter } from '../../src/capture/handoffFilters.js';
import { CollectingSink } from '../support/collectingSink.js';
import { callTurn, textTurn } from '../support/scriptedTurns.js';

/** Keeps only the handoff's own items: the next agent does not see the conversation so far. */
function dropHistory(data: HandoffInputData): HandoffInputData {
  return { ...data, inputHistory: [], preHandoffItems: [] };
}

/** Triage hands off to Orders through a handoff that carries `inputFilter`; Orders answers. */
function ordersRun(inputFilter?: (data: HandoffInputData) => HandoffInputData) {
  const ordersModel = new ScriptedModel([textTurn('Order 42 ships tomorrow.')]);
  const orders = new Agent({ name: 'Orders', instructions: 'Answer order questions.', model: ordersModel });
  const toOrders = handoff(orders, inputFilter ? { inputFilter } : {});
  const triage = new Agent({
    name: 'Triage',
    instructions: 'Route the user.',
    model: new ScriptedModel([callTurn('transfer_to_Orders', {}, 'call_handoff_1')]),
    handoffs: [toOrders],
  });
  return { triage, orders, ordersModel, toOrders };
}

async function runToEnd(runner: Runner, agent: Agent, input: string): Promise<RunStreamEvent[]> {
  const result = await runner.run(agent, input, { stream: true });
  const seen: RunStreamEvent[] = [];
  for await (const event of result) seen.push(event);
  await result.completed;
  return seen;
}

/** What a model was sent on its last call, as JSON text: enough to see whether a message reached it. */
function lastInputText(model: ScriptedModel): string {
  return JSON.stringify(model.lastCall?.request.input);
}

describe('handoff input filters', () => {
  it("records the conversation before and after a handoff's own filter, and the filter still does its job", async () => {
    const { triage, ordersModel } = ordersRun(dropHistory);
    observeHandoffFilters(triage);
    const sink = new CollectingSink();
    await withCapture(sink, () => runToEnd(new Runner({ tracingDisabled: true }), triage, 'Where is my order 42?'));

    expect(lastInputText(ordersModel)).not.toContain('Where is my order 42?');
    expect(sink.records.handoff).toHaveLength(1);
    const [record] = sink.records.handoff;
    expect(record).toMatchObject({ callId: 'call_handoff_1', from: 'Triage', to: 'Orders', filter: { name: 'dropHistory', source: 'handoff' } });
    expect(JSON.stringify(record!.before.inputHistory)).toContain('Where is my order 42?');
    expect(record!.after).toMatchObject({ inputHistory: [], preHandoffItems: [] });
    // The handoff's own items, as RunItem JSON: the call and its output, on both sides of the filter.
    const types = (items: unknown[]) => items.map((item) => (item as { type: string }).type);
    expect(types(record!.before.newItems)).toEqual(['handoff_call_item', 'handoff_output_item']);
    expect(types(record!.after!.newItems)).toEqual(['handoff_call_item', 'handoff_output_item']);
    expect(record!.before.newItems[1]).toMatchObject({ sourceAgent: { name: 'Triage' }, targetAgent: { name: 'Orders' } });
  });

  it("records the runner's own filter as the run config's, and only the handoff's own when both exist", async () => {
    const runLevel: string[] = [];
    const keepLastTwo = (data: HandoffInputData): HandoffInputData => {
      runLevel.push('called');
      return { ...data, preHandoffItems: data.preHandoffItems.slice(-2) };
    };
    const runner = new Runner({ tracingDisabled: true, handoffInputFilter: keepLastTwo });
    observeRunConfigFilter(runner.config);

    const plain = ordersRun();
    observeHandoffFilters(plain.triage);
    const sink = new CollectingSink();
    await withCapture(sink, () => runToEnd(runner, plain.triage, 'Where is my order 42?'));
    expect(sink.records.handoff).toHaveLength(1);
    expect(sink.records.handoff[0]).toMatchObject({ callId: 'call_handoff_1', from: 'Triage', to: 'Orders', filter: { name: 'keepLastTwo', source: 'runConfig' } });

    const own = ordersRun(dropHistory);
    observeHandoffFilters(own.triage);
    const second = new CollectingSink();
    await withCapture(second, () => runToEnd(runner, own.triage, 'Where is my order 42?'));
    expect(runLevel).toEqual(['called']);
    expect(second.records.handoff.map((r) => r.filter)).toEqual([{ name: 'dropHistory', source: 'handoff' }]);
  });

  it('is invisible outside a recorded run, idempotent, and keeps the filter\'s own properties', async () => {
    function keepNewItems(data: HandoffInputData): HandoffInputData {
      return dropHistory(data);
    }
    const filter = Object.assign(keepNewItems, { preserveThis: 'yes' });
    const { triage, ordersModel, toOrders } = ordersRun(filter);
    observeHandoffFilters(triage);
    const observed = toOrders.inputFilter;
    observeHandoffFilters(triage);
    expect(toOrders.inputFilter).toBe(observed);
    expect(observed).not.toBe(filter);
    expect({ ...observed, name: observed?.name, length: observed?.length }).toEqual({ name: 'keepNewItems', preserveThis: 'yes', length: 1 });

    const sink = new CollectingSink();
    await runToEnd(new Runner({ tracingDisabled: true }), triage, 'Where is my order 42?');
    expect(lastInputText(ordersModel)).not.toContain('Where is my order 42?');
    expect(sink.records.handoff).toEqual([]);
  });

  it('gives each of two concurrent runs that share the handoff its own record', async () => {
    const { triage, orders, toOrders } = ordersRun(dropHistory);
    observeHandoffFilters(triage);
    // A second starting agent on another script, sharing the Orders handoff (and its filter).
    const ordersModel = orders.model as ScriptedModel;
    ordersModel.enqueue(textTurn('Order 7 ships today.'));
    const front = new Agent({
      name: 'Front Desk',
      instructions: 'Route the user.',
      model: new ScriptedModel([callTurn('transfer_to_Orders', {}, 'call_handoff_2')]),
      handoffs: [toOrders],
    });
    const runner = new Runner({ tracingDisabled: true });
    const [a, b] = [new CollectingSink(), new CollectingSink()];
    await Promise.all([
      withCapture(a, () => runToEnd(runner, triage, 'Where is order 42?')),
      withCapture(b, () => runToEnd(runner, front, 'Where is order 7?')),
    ]);
    expect(a.records.handoff.map((r) => [r.from, r.callId])).toEqual([['Triage', 'call_handoff_1']]);
    expect(b.records.handoff.map((r) => [r.from, r.callId])).toEqual([['Front Desk', 'call_handoff_2']]);
    expect(JSON.stringify(a.records.handoff[0]!.before)).toContain('order 42');
    expect(JSON.stringify(b.records.handoff[0]!.before)).toContain('order 7');
  });
});
