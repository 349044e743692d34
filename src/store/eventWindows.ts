import type { EventFilter, EventWindow } from './runStore.js';
import type { StoredEvent } from './types.js';

/**
 * Every event of a run from `fromSeq` on, in seq order, read one window at a time through `read`: how any
 * backend walks a whole run without holding it in memory.
 */
export async function* eventsInWindows(
  read: (window: EventWindow) => Promise<StoredEvent[]>,
  options: { fromSeq?: number; filter?: EventFilter; windowSize?: number } = {},
): AsyncGenerator<StoredEvent> {
  let fromSeq = options.fromSeq ?? 0;
  const limit = options.windowSize ?? 2000;
  for (;;) {
    const window = await read({ fromSeq, limit, filter: options.filter ?? {} });
    yield* window;
    if (window.length < limit) return;
    fromSeq = window[window.length - 1]!.seq + 1;
  }
}
