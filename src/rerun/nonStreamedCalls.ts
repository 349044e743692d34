import type { RecordedCall, RecordedItem } from './recordedTypes.js';

/**
 * The items a model's response holds (its output); the others (tool outputs, handoff outputs, approval
 * requests) are what the runner made of a response.
 */
const OUTPUT_ITEMS = new Set(['message_output_created', 'handoff_requested', 'tool_called', 'tool_search_called', 'reasoning_item_created']);

/**
 * A non-streamed run's recording holds no model events, but its captured calls and its items tell each
 * response: the runner records a response's output items in order, then what it made of them (tool outputs,
 * handoff outputs), then the next response's. So each stretch of output items is one call's output, call by
 * call. A call that failed has none. When the stretches do not line up with the calls (a response with no
 * output, or one of reasoning alone, runs into the next), the calls are left without events: the recording
 * cannot tell them apart. Returns the items that went to no call.
 */
export function rebuildNonStreamedCalls(calls: RecordedCall[], items: readonly RecordedItem[]): RecordedItem[] {
  const answered = calls.filter((call) => call.request?.error === null && call.events.length === 0);
  const { stretches, before } = outputStretches(items);
  if (answered.length === 0 || stretches.length !== answered.length) return [...items];
  if (stretches.some((stretch, i) => stretch.agent !== null && stretch.agent !== answered[i]!.agent)) return [...items];
  answered.forEach((call, i) => {
    const { items: own, output } = stretches[i]!;
    const record = call.request!;
    const seq = own[0]!.seq;
    const response = {
      id: record.responseId ?? `rerun_call_${call.call}`,
      usage: record.usage ?? { requests: 1, inputTokens: 0, outputTokens: 0, totalTokens: 0 },
      output: output.map((item) => item.item.rawItem),
    };
    // Placed, for whoever reads seqs, where the call's first item is in the run.
    call.events = [
      { seq, tUs: call.startUs, data: { type: 'response_started' } },
      { seq, tUs: record.endUs ?? call.startUs, data: { type: 'response_done', response } },
    ];
    call.complete = true;
    call.items = own;
  });
  return before;
}

interface Stretch {
  /** The agent that produced the output (the items name it), when they do. */
  agent: string | null;
  output: RecordedItem[];
  /** The output and the items that came of it, up to the next output. */
  items: RecordedItem[];
}

/** The stretches, and the items before the first (which came of no response). */
function outputStretches(items: readonly RecordedItem[]): { stretches: Stretch[]; before: RecordedItem[] } {
  const stretches: Stretch[] = [];
  const before: RecordedItem[] = [];
  let previousWasOutput = false;
  for (const item of items) {
    const output = OUTPUT_ITEMS.has(item.name);
    if (output && !previousWasOutput) stretches.push({ agent: agentOf(item), output: [], items: [] });
    const current = stretches.at(-1);
    if (!current) before.push(item);
    else {
      if (output) current.output.push(item);
      current.items.push(item);
    }
    previousWasOutput = output;
  }
  return { stretches, before };
}

function agentOf(item: RecordedItem): string | null {
  const name = (item.item.agent as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : null;
}
