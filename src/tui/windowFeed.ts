import { setTimeout as sleep } from 'node:timers/promises';
import type { EventFilter, RunStore } from '../store/runStore.js';
import type { StoredEvent } from '../store/types.js';

const WINDOW = 2000;

export interface WindowFeedOptions {
  /** Only these events (the feed skips what its reader does not need). */
  filter?: EventFilter;
  /** Whether the run may still grow (it is being recorded). */
  live: () => boolean;
  /** Windows were read; `lastSeq` is the newest seq read. */
  onUpdate: (lastSeq: number) => void;
  onError: (error: unknown) => void;
  pollMs?: number;
}

/**
 * Reads a run in the background, a window of events at a time with the event loop free in between: the
 * inspector paints at once and stays responsive while a million-event run is read, what the feed computes
 * filling in. Once caught up with a run still being recorded, it keeps reading what is appended. A feed is
 * what it computes from the windows: a subclass takes them in `onWindow`.
 */
export abstract class WindowFeed {
  #nextSeq = 0;
  #caughtUp = false;
  #started = false;
  #stopped = false;

  constructor(
    protected readonly store: RunStore,
    protected readonly runId: string,
    private readonly options: WindowFeedOptions,
  ) {}

  /** Takes one window of events, in seq order; the next window is read once it settles. */
  protected abstract onWindow(events: readonly StoredEvent[]): void | Promise<void>;

  /** How far the feed has got through `eventCount` events (1 once caught up). */
  progress(eventCount: number): number {
    return this.#caughtUp ? 1 : Math.min(0.99, this.#nextSeq / Math.max(1, eventCount));
  }

  /** Starts reading; once (a later call does nothing). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#run().catch((error: unknown) => {
      if (!this.#stopped) this.options.onError(error);
    });
  }

  stop(): void {
    this.#stopped = true;
  }

  async #run(): Promise<void> {
    // Not before the first frame is painted.
    await new Promise((resolve) => setImmediate(resolve));
    while (!this.#stopped) {
      const window = await this.store.readEvents(this.runId, { fromSeq: this.#nextSeq, limit: WINDOW, filter: this.options.filter ?? {} });
      if (this.#stopped) return;
      if (window.length > 0) {
        await this.onWindow(window);
        this.#nextSeq = window.at(-1)!.seq + 1;
      }
      const full = window.length === WINDOW;
      const caughtUpNow = !full && !this.#caughtUp;
      if (!full) this.#caughtUp = true;
      if (window.length > 0 || caughtUpNow) this.options.onUpdate(this.#nextSeq - 1);
      if (full) await new Promise((resolve) => setImmediate(resolve));
      else if (this.options.live()) await sleep(this.options.pollMs ?? 250);
      else return;
    }
  }
}
