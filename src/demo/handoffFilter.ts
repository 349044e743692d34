import type { AgentInputItem, HandoffInputData, RunItem } from '@openai/agents';

/** Item types that are one agent's working (tool calls and their outputs, reasoning), not the conversation. */
const WORKING_ITEM_TYPES = new Set(['function_call', 'function_call_result', 'reasoning']);

/**
 * The demo's handoff input filter: the specialist taking over sees what the customer and the agents said,
 * not how the previous specialist worked (its tool calls, their outputs, its reasoning). The handoff's own
 * items stay, so the model still sees the transfer it answers.
 */
export function dropOtherAgentsWork(data: HandoffInputData): HandoffInputData {
  const history = Array.isArray(data.inputHistory)
    ? data.inputHistory.filter((item: AgentInputItem) => !WORKING_ITEM_TYPES.has(item.type ?? ''))
    : data.inputHistory;
  const isWork = (item: RunItem) => item.type === 'tool_call_item' || item.type === 'tool_call_output_item' || item.type === 'reasoning_item';
  return { ...data, inputHistory: history, preHandoffItems: data.preHandoffItems.filter((item) => !isWork(item)) };
}
