import type { EventFilter, RunStore } from '../store/runStore.js';
import type { StoredEvent } from '../store/types.js';

/**
 * A position in a run's (filtered) events, read from the store in windows: a million-event run is never
 * in memory whole, and a move costs one indexed read.
 */
export class EventCursor {
  #window: StoredEvent[] = [];
  #index = 0;
  #nextSeq: number;

  constructor(
    private readonly store: RunStore,
    private readonly runId: string,
    private readonly filter: EventFilter,
    fromSeq: number,
    private readonly toSeq: number = Number.MAX_SAFE_INTEGER,
    private readonly windowSize = 1024,
  ) {
    this.#nextSeq = fromSeq;
  }

  /** The next event, without moving; undefined at the end (for now: a live run may grow). */
  peek(): StoredEvent | undefined {
    if (this.#index >= this.#window.length) this.#refill();
    return this.#window[this.#index];
  }

  take(): StoredEvent | undefined {
    const event = this.peek();
    if (event) this.#index++;
    return event;
  }

  /** Moves so that the next event is the first at or after `seq`. */
  moveTo(seq: number): void {
    this.#window = [];
    this.#index = 0;
    this.#nextSeq = Math.max(0, seq);
  }

  /** The last event before the cursor's next one (or before `beforeSeq`), reading backwards. */
  previous(beforeSeq: number): StoredEvent | undefined {
    if (beforeSeq <= 0) return undefined;
    return this.store.readEvents(this.runId, { fromSeq: beforeSeq - 1, limit: 1, backward: true, filter: this.filter })[0];
  }

  #refill(): void {
    const consumed = this.#window.at(-1);
    if (consumed) this.#nextSeq = consumed.seq + 1;
    this.#window = this.store
      .readEvents(this.runId, { fromSeq: this.#nextSeq, limit: this.windowSize, filter: this.filter })
      .filter((e) => e.seq <= this.toSeq);
    this.#index = 0;
  }
}
