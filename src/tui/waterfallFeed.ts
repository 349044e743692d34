import { FIRST_TOKEN_NAMES, WATERFALL_EVENT_NAMES, WaterfallBuilder, type WaterfallCaptures, type WaterfallRow, type WaterfallRunEnd } from '../analysis/waterfall.js';
import type { RunStore } from '../store/runStore.js';
import type { SeqRange, StoredEvent } from '../store/types.js';
import { WindowFeed, type WindowFeedOptions } from './windowFeed.js';

/**
 * The waterfall's rows, filled in by a background read of the events it is built from (the store skips the
 * blocks that hold only text deltas), plus one small read per model call for its first token and two per
 * gap for the events around it. What the capture layer recorded is read once and attached.
 */
export class WaterfallFeed extends WindowFeed {
  readonly #builder: WaterfallBuilder;
  readonly #gaps: readonly SeqRange[];
  readonly #readCaptures: () => Promise<WaterfallCaptures>;
  readonly #end: () => WaterfallRunEnd;
  #captures: WaterfallCaptures | undefined;
  /** Events read besides the feed's windows, each added in its place in seq order. */
  #extra: StoredEvent[] = [];
  #rows: WaterfallRow[] = [];

  constructor(
    store: RunStore,
    runId: string,
    options: Omit<WindowFeedOptions, 'filter'> & { gaps: readonly SeqRange[]; captures: () => Promise<WaterfallCaptures>; end: () => WaterfallRunEnd },
  ) {
    super(store, runId, { ...options, filter: { names: WATERFALL_EVENT_NAMES } });
    this.#gaps = options.gaps;
    this.#readCaptures = options.captures;
    this.#end = options.end;
    this.#builder = new WaterfallBuilder(options.gaps);
  }

  get rows(): readonly WaterfallRow[] {
    return this.#rows;
  }

  protected async onWindow(events: readonly StoredEvent[]): Promise<void> {
    // What the capture layer recorded is read with the first window, not before the first frame.
    this.#captures ??= await this.#readOnce();
    await this.#addWindow(events, this.#captures);
  }

  /** The captures, and the events on either side of each gap (which place it in time). */
  async #readOnce(): Promise<WaterfallCaptures> {
    const captures = await this.#readCaptures();
    for (const gap of this.#gaps) {
      const [before] = gap.fromSeq > 0 ? await this.store.readEvents(this.runId, { fromSeq: gap.fromSeq - 1, limit: 1, backward: true }) : [];
      const [after] = await this.store.readEvents(this.runId, { fromSeq: gap.toSeq + 1, limit: 1 });
      this.#keep(before, after);
    }
    return captures;
  }

  async #addWindow(events: readonly StoredEvent[], captures: WaterfallCaptures): Promise<void> {
    for (const started of events.filter((e) => e.name === 'response_started')) {
      const [first] = await this.store.readEvents(this.runId, { fromSeq: started.seq + 1, limit: 1, filter: { names: FIRST_TOKEN_NAMES } });
      this.#keep(first);
    }
    for (const event of events) {
      this.#addExtraBefore(event.seq);
      // An event read both ways (the one after a gap can be a call's start) is added once.
      if (this.#extra[0]?.seq === event.seq) this.#extra.shift();
      this.#builder.add(event);
    }
    this.#addExtraBefore(events.at(-1)!.seq + 1);
    this.#rows = this.#builder.rows(captures, this.#end());
  }

  #keep(...events: (StoredEvent | undefined)[]): void {
    for (const event of events) if (event && !this.#extra.some((e) => e.seq === event.seq)) this.#extra.push(event);
    this.#extra.sort((a, b) => a.seq - b.seq);
  }

  #addExtraBefore(seq: number): void {
    while (this.#extra.length > 0 && this.#extra[0]!.seq < seq) this.#builder.add(this.#extra.shift()!);
  }
}
