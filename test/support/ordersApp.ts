import { Agent, tool, type Model, type ModelProvider, type ModelSettings, type ToolUseBehavior } from '@openai/agents';
import { ScriptedModel } from '@openai/agents/testing';
import { z } from 'zod';
import { callTurn, textTurn } from './scriptedTurns.js';

export const ORDERS_QUESTION = 'Where is my order 1234?';
export const ORDERS_ANSWER = 'Order 1234 shipped yesterday; it arrives Friday.';

export interface OrdersAppOptions {
  instructions?: string;
  /** What the order lookup answers (changed code gives another output). */
  lookup?: (order: string) => string;
  /** Orders' model: a name (served by a provider) or a Model instance. */
  model?: string | Model;
  toolUseBehavior?: ToolUseBehavior;
  /** Orders' model settings (say, the SDK's model call timeout). */
  modelSettings?: ModelSettings;
}

/** The application re-runs re-run: Triage hands off to Orders, which looks the order up, then answers. */
export function ordersApp(options: OrdersAppOptions = {}): { triage: Agent; orders: Agent; lookups: string[] } {
  const lookups: string[] = [];
  const lookupOrder = tool({
    name: 'lookup_order',
    description: 'Find an order by its number',
    parameters: z.object({ order: z.string() }),
    execute: async ({ order }) => {
      lookups.push(order);
      return (options.lookup ?? ((o) => `order ${o}: shipped yesterday, arrives Friday`))(order);
    },
  });
  const orders = new Agent({
    name: 'Orders',
    instructions: options.instructions ?? 'You are Orders; today is day 42.',
    model: options.model ?? 'gpt-4.1',
    tools: [lookupOrder],
    ...(options.toolUseBehavior ? { toolUseBehavior: options.toolUseBehavior } : {}),
    ...(options.modelSettings ? { modelSettings: options.modelSettings } : {}),
  });
  const triage = new Agent({ name: 'Triage', instructions: 'Route the customer.', model: 'gpt-4.1-mini', handoffs: [orders] });
  return { triage, orders, lookups };
}

/** The model turns of the orders run, served by name to whichever agent asks next. */
export function scriptedOrdersProvider(): ModelProvider {
  const model = new ScriptedModel([
    callTurn('transfer_to_Orders', {}, 'call_handoff_1'),
    callTurn('lookup_order', { order: '1234' }, 'call_lookup_1'),
    textTurn(ORDERS_ANSWER),
  ]);
  return { getModel: () => model };
}

/** A provider for runs that must not reach a model: any call fails the way an unreachable API would. */
export const unreachableProvider: ModelProvider = {
  getModel: () => {
    throw new Error('live model call attempted');
  },
};
