import { textOfRawItem, type RawItem } from '../events/payload.js';
import type { HandoffCaptureRecord, HandoffInputSnapshot } from '../capture/types.js';

/** What a handoff input filter did: the conversation items it was given, and those it did not pass on. */
export interface FilterEffect {
  name: string | null;
  source: 'handoff' | 'runConfig';
  total: number;
  removed: RawItem[];
}

/** The effect of the filter a captured handoff went through; null when none applied (or it did not return). */
export function filterEffect(record: Pick<HandoffCaptureRecord, 'filter' | 'before' | 'after'>): FilterEffect | null {
  if (!record.filter || !record.after) return null;
  const before = conversationItems(record.before);
  const kept = new Map<string, number>();
  for (const item of conversationItems(record.after)) kept.set(JSON.stringify(item), (kept.get(JSON.stringify(item)) ?? 0) + 1);
  // A multiset difference: two identical messages, one dropped, count as one removed.
  const removed = before.filter((item) => {
    const key = JSON.stringify(item);
    const left = kept.get(key) ?? 0;
    if (left > 0) kept.set(key, left - 1);
    return left === 0;
  });
  return { name: record.filter.name, source: record.filter.source, total: before.length, removed };
}

/**
 * The next agent's conversation as protocol items, in order: the run's input (a string is one user message),
 * then the RunItems' raw items (RunItem JSON is `{type, rawItem, …}`).
 */
function conversationItems(snapshot: HandoffInputSnapshot): RawItem[] {
  const history = typeof snapshot.inputHistory === 'string' ? [{ type: 'message', role: 'user', content: snapshot.inputHistory }] : snapshot.inputHistory;
  const runItems = [...snapshot.preHandoffItems, ...snapshot.newItems].map((item) => (item as { rawItem?: unknown }).rawItem ?? item);
  return [...history, ...runItems] as RawItem[];
}

/** One item in a few words: `user "…"`, `call lookup(…)`, `output of lookup`, `reasoning "…"`. Not sanitized. */
export function describeConversationItem(item: RawItem & { content?: unknown }, max = 40): string {
  const quote = (text: string) => `"${text.length > max ? text.slice(0, max - 1) + '…' : text}"`;
  switch (item.type ?? (item.role ? 'message' : undefined)) {
    case 'message':
      return `${item.role ?? 'message'} ${quote(typeof item.content === 'string' ? item.content : textOfRawItem(item))}`;
    case 'function_call':
      return `call ${item.name ?? '?'}`;
    case 'function_call_result':
      return `output of ${item.name ?? '?'}`;
    case 'reasoning':
      return `reasoning ${quote(textOfRawItem(item))}`;
    default:
      return item.type ?? 'item';
  }
}

/** A handoff no filter applied to: `the next agent was sent all 5 items`. */
export function describeUnfiltered(sent: HandoffInputSnapshot): string {
  const count = conversationItems(sent).length;
  return `the next agent was sent all ${count} item${count === 1 ? '' : 's'}`;
}

/** `filter dropHistory removed 3 of 5 items: user "…", …` (or kept all of them). Not sanitized. */
export function describeFilterEffect(effect: FilterEffect): string {
  const name = `filter ${effect.name ?? '(anonymous)'}${effect.source === 'runConfig' ? ' (run config)' : ''}`;
  if (effect.removed.length === 0) return `${name} kept all ${effect.total} items`;
  return `${name} removed ${effect.removed.length} of ${effect.total} items: ${effect.removed.map((item) => describeConversationItem(item)).join(', ')}`;
}
