import { Usage, type ModelResponse, type StreamEvent } from '@openai/agents';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RecordedCall } from './recordedRun.js';

/**
 * How fast a recorded call is served: `instant` (default), `recorded` (the recorded gaps between its events,
 * from the moment it was asked), or a speed factor (2 = twice as fast as recorded).
 */
export type Pace = 'instant' | 'recorded' | number;

/**
 * The recorded call's events, as its model produced them. Paced ones are scheduled against the call's own
 * recorded timeline from one anchor, so waiting does not drift.
 */
export async function* servedEvents(call: RecordedCall, pace: Pace, signal: AbortSignal | undefined): AsyncGenerator<StreamEvent> {
  const speed = pace === 'instant' ? 0 : pace === 'recorded' ? 1 : pace;
  const anchor = performance.now();
  for (const event of call.events) {
    if (speed > 0) {
      const due = anchor + (event.tUs - call.startUs) / 1000 / speed;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait, undefined, signal ? { signal } : {});
    }
    signal?.throwIfAborted();
    yield event.data as StreamEvent;
  }
}

/** A non-streamed answer from a recorded call: the response its `response_done` carried. */
export function servedResponse(call: RecordedCall): ModelResponse {
  const done = call.events.find((event) => event.data.type === 'response_done');
  const response = (done?.data as { response?: { id?: string; usage?: ConstructorParameters<typeof Usage>[0]; output?: ModelResponse['output']; providerData?: Record<string, unknown> } } | undefined)
    ?.response;
  return {
    usage: new Usage(response?.usage),
    output: response?.output ?? [],
    ...(response?.id ? { responseId: response.id } : {}),
    ...(response?.providerData ? { providerData: response.providerData } : {}),
  };
}
