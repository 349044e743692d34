import type { EventRange, EventWindow } from './runStore.js';
import type { StoredEvent } from './types.js';

/**
 * Every event of a run from `fromSeq` on (up to `toSeq`), in seq order, read one window at a time through `read`: how any
 * backend walks a whole run without holding it in memory.
 */
export async function* eventsInWindows(
  read: (window: EventWindow) => Promise<StoredEvent[]>,
  options: EventRange = {},
): AsyncGenerator<StoredEvent> {
  let fromSeq = options.fromSeq ?? 0;
  const toSeq = options.toSeq ?? Infinity;
  const limit = options.windowSize ?? 2000;
  for (;;) {
    const window = await read({ fromSeq, limit, filter: options.filter ?? {} });
    for (const event of window) {
      if (event.seq > toSeq) return;
      yield event;
    }
    if (window.length < limit) return;
    fromSeq = window[window.length - 1]!.seq + 1;
  }
}
