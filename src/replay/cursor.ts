import type { EventFilter, RunStore } from '../store/runStore.js';
import type { StoredEvent } from '../store/types.js';

/**
 * A position in a run's (filtered) events, read from the store in windows: a million-event run is never
 * in memory whole, and a move costs one indexed read. A read that a move overtakes is dropped, never
 * taken for the new position.
 */
export class EventCursor {
  #window: StoredEvent[] = [];
  #index = 0;
  #nextSeq: number;
  /** Counts moves: a read begun before one is of the old position. */
  #moves = 0;
  /** The move count when the window was last read: the window is of the current position when they agree. */
  #readAt = -1;
  /** The read under way, shared by everyone who peeks meanwhile. */
  #refilling: Promise<void> | undefined;

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
  async peek(): Promise<StoredEvent | undefined> {
    while (this.#index >= this.#window.length) {
      await (this.#refilling ??= this.#refill().finally(() => (this.#refilling = undefined)));
      // An empty window read at this position is the end; one dropped for a move meanwhile is read again.
      if (this.#readAt === this.#moves && this.#index >= this.#window.length) break;
    }
    return this.#window[this.#index];
  }

  /** The next event if it is already read (undefined when it is not, or there is none): what a synchronous caller can know. */
  get buffered(): StoredEvent | undefined {
    return this.#window[this.#index];
  }

  /** Moves past the event `peek` just gave. */
  advance(): void {
    if (this.#index < this.#window.length) this.#index++;
  }

  async take(): Promise<StoredEvent | undefined> {
    const event = await this.peek();
    if (event) this.advance();
    return event;
  }

  /** Moves so that the next event is the first at or after `seq`. */
  moveTo(seq: number): void {
    this.#moves++;
    this.#window = [];
    this.#index = 0;
    this.#nextSeq = Math.max(0, seq);
  }

  /** The last event before the cursor's next one (or before `beforeSeq`), reading backwards. */
  async previous(beforeSeq: number): Promise<StoredEvent | undefined> {
    if (beforeSeq <= 0) return undefined;
    return (await this.store.readEvents(this.runId, { fromSeq: beforeSeq - 1, limit: 1, backward: true, filter: this.filter }))[0];
  }

  async #refill(): Promise<void> {
    const moves = this.#moves;
    const consumed = this.#window.at(-1);
    const fromSeq = consumed ? consumed.seq + 1 : this.#nextSeq;
    const window = await this.store.readEvents(this.runId, { fromSeq, limit: this.windowSize, filter: this.filter });
    if (moves !== this.#moves) return;
    this.#readAt = moves;
    this.#nextSeq = fromSeq;
    this.#window = window.filter((e) => e.seq <= this.toSeq);
    this.#index = 0;
  }
}
