import type { StoredEvent } from './storedEvent.js';
import { outputText, parsePayload, textOfRawItem } from './payload.js';

/**
 * One line saying what an event is, for timelines and replay markers. Not sanitized: callers that print
 * it pass it through sanitizeLine/truncateLine.
 */
export function summarizeEvent(event: StoredEvent): string {
  const p = parsePayload(event);
  switch (event.level) {
    case 'agent':
      return event.name === 'starting_agent' ? `start: ${p.agent?.name ?? '?'}` : `→ ${p.agent?.name ?? '?'}`;
    case 'raw': {
      if (event.name === 'output_text_delta') return JSON.stringify(p.data?.delta ?? '');
      if (event.name === 'model') return `provider: ${p.data?.event?.type ?? 'event'}`;
      if (event.name === 'response_done') {
        const output = p.data?.response?.output ?? [];
        return `response done (${output.length} output item${output.length === 1 ? '' : 's'})`;
      }
      return event.name.replace(/_/g, ' ');
    }
    case 'item':
      return summarizeItem(event.name, p);
  }
}

function callText(name: string | undefined, args: string | undefined): string {
  return `${name ?? '?'}(${args && args !== '{}' ? args : ''})`;
}

function summarizeItem(name: string, p: ReturnType<typeof parsePayload>): string {
  const item = p.item ?? {};
  const raw = item.rawItem;
  switch (name) {
    case 'message_output_created':
      return `message: ${textOfRawItem(raw)}`;
    case 'reasoning_item_created':
      return `reasoning: ${textOfRawItem(raw) || '(no summary)'}`;
    case 'tool_called':
      return `call ${callText(raw?.name, raw?.arguments)}`;
    case 'tool_output':
      return `${raw?.name ?? 'tool'} → ${outputText(item.output ?? raw?.output)}`;
    case 'handoff_requested':
      return `handoff requested: ${callText(raw?.name, raw?.arguments)}`;
    case 'handoff_occurred':
      return `handoff: ${item.sourceAgent?.name ?? '?'} → ${item.targetAgent?.name ?? '?'}`;
    case 'tool_approval_requested':
      return `approval needed: ${callText(item.toolName ?? raw?.name, raw?.arguments)}`;
    default:
      return name.replace(/_/g, ' ');
  }
}
