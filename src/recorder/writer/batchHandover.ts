import { toJsonText } from '../../events/serialize.js';
import { BatchPages, emptyColumns, PAGE_EVENTS, type EventColumns } from './batchPages.js';
import type { CompactColumns } from './compactEvent.js';
import { DUE, HANDLED, UNSENT, type WriterBatch } from './protocol.js';

/**
 * Sending wakes the writer thread when it waits, which costs the application's thread far more than the
 * events it carries (measured on a 2-core VM: 0.2-1 ms a wake; at one message per 512 events, a microsecond
 * per event). So full batches are sent together, up to this many per message, or whatever is there once the
 * writer, idle, says it is due (its oldest part is BATCH_DELAY_MS old).
 */
const SEND_PAGES = 8;
/**
 * Batches the writer may be behind before the application waits for it (backpressure): bounds the memory a
 * fast stream can pile up (64k events). While the writer is busy a batch goes on filling rather than being
 * sent small, so a slowly starting writer is not handed a small batch every BATCH_DELAY_MS.
 */
const PAGES = 128;
/** How long the application waits for a stuck writer before events are dropped (a recorded gap). */
export const STUCK_WRITER_MS = 1000;

/** A batch being filled on the application's thread: its columns go to a shared page when it is sealed. */
export type PendingBatch = Omit<WriterBatch, 'page' | 'text'> & CompactColumns & EventColumns;

/**
 * How batches get from the application's thread to the writer thread: the batch being filled, sealed into a
 * shared page when full (or when it is sent), and sent, several at once, in one message. Backpressure and
 * gaps (the writer stuck for more than a second) are decided here, as a batch is sealed.
 */
export class BatchHandover {
  readonly pages = BatchPages.create(PAGES);
  /** The batch being filled. */
  batch: PendingBatch = emptyBatch();
  /** Sealed batches (each with its page) not sent yet. */
  #outbox: WriterBatch[] = [];
  /** Batches sealed so far: batch n has page n % PAGES. */
  #sealed = 0;
  /** The number the shared UNSENT slot gives what waits to be sent (0 there: nothing waits). */
  #generation = 0;
  #stuck = false;

  /**
   * `handled`: the writer's count of handled batches (protocol.ts); `send`: posts batches to the writer;
   * `dead`: why the writer is gone, if it is (nothing is sent any more).
   */
  constructor(
    private readonly handled: Int32Array,
    private readonly send: (batches: WriterBatch[]) => void,
    private readonly dead: () => string | null,
  ) {}

  /**
   * Something was added to the batch (an event, a run, a capture): it is sent within BATCH_DELAY_MS or so of the
   * writer being free (IDLE_ASK_MS more when no event comes). The writer thread keeps that time and raises the
   * shared DUE flag (writerWorker.ts): a timer here would be an async resource of the recorder's on the
   * application's thread, and the first one a process makes besides promises slows every promise after it
   * (Node's async hooks, which AsyncLocalStorage uses, go polymorphic).
   */
  added(): void {
    if (this.#unsent()) return;
    this.#generation = (this.#generation % 0x7fffffff) + 1;
    Atomics.store(this.handled, UNSENT, this.#generation);
    Atomics.notify(this.handled, UNSENT);
  }

  /** The hot path's check, after the batch's event `i` was written: no clock, one shared flag. */
  filled(i: number): void {
    if (i + 1 === PAGE_EVENTS) this.#seal();
    if (this.#outbox.length >= SEND_PAGES || Atomics.load(this.handled, DUE) === 1) this.flush();
  }

  /** The writer asked by message (the application's thread recorded nothing since it raised DUE): what waits is sent. */
  sendIfDue(): void {
    if (this.#unsent()) this.flush();
  }

  /** Sends everything now: a run's end, a cancel, the exit. */
  flush(): void {
    // Before sealing: a batch the stuck writer cannot take is dropped, and what it held is unsent again.
    Atomics.store(this.handled, UNSENT, 0);
    Atomics.store(this.handled, DUE, 0);
    this.#seal();
    if (this.#outbox.length === 0) return;
    const batches = this.#outbox;
    this.#outbox = [];
    try {
      this.send(batches);
    } catch {
      // A captured value structured cloning cannot carry (a function in something a capture module kept; events
      // cross as strings): those captures cross as their JSON instead.
      for (const batch of batches) for (const capture of batch.captures) capture.record = JSON.parse(toJsonText(capture.record));
      this.send(batches);
    }
  }

  /** Waits, at most `timeoutMs`, until the writer has handled every batch sent (the exit's flush). */
  waitUntilHandled(timeoutMs: number): void {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const handled = Atomics.load(this.handled, HANDLED);
      const left = deadline - performance.now();
      if (handled >= this.#sealed || left <= 0 || this.dead()) return;
      Atomics.wait(this.handled, HANDLED, handled, left);
    }
  }

  /** Whether anything waits to be sent (only this thread writes the slot; the writer reads it). */
  #unsent(): boolean {
    return Atomics.load(this.handled, UNSENT) !== 0;
  }

  /** The batch being filled goes to its page and the outbox; its columns are reused for the next one. */
  #seal(): void {
    const batch = this.batch;
    if (isEmpty(batch)) return;
    this.batch = emptyBatch(batch);
    if (this.dead()) return;
    if (!this.#hasRoom()) return this.#dropAsGap(batch);
    // Room means the writer is done with the batch that used this page before.
    const page = this.#sealed++ % PAGES;
    this.pages.fill(page, batch, batch.length);
    const { creates, length, values, texts, gaps, captures, ends, cancels, releaseHeld } = batch;
    this.#outbox.push({ creates, length, page, values, text: texts.join(''), gaps, captures, ends, cancels, releaseHeld });
  }

  /**
   * Backpressure: above the bound the application waits for the writer, at most STUCK_WRITER_MS. A writer
   * still behind after that is stuck: until it catches up, batches are dropped without waiting again.
   */
  #hasRoom(): boolean {
    const behind = () => this.#sealed - Atomics.load(this.handled, HANDLED) >= PAGES;
    if (!behind()) return !(this.#stuck = false);
    if (this.#stuck) return false;
    // What waits to be sent is what the writer needs to free a page.
    this.flush();
    const deadline = performance.now() + STUCK_WRITER_MS;
    while (behind()) {
      const left = deadline - performance.now();
      if (left <= 0) return !(this.#stuck = true);
      Atomics.wait(this.handled, HANDLED, Atomics.load(this.handled, HANDLED), left);
    }
    return true;
  }

  /** A batch the stuck writer cannot take: its events become gaps; its runs' creation and ends wait for the next. */
  #dropAsGap(batch: PendingBatch): void {
    const next = this.batch;
    const ranges = new Map<number, { fromSeq: number; toSeq: number }>();
    for (let i = 0; i < batch.length; i++) {
      const slot = batch.slots[i]!;
      const seq = batch.seqs[i]!;
      const range = ranges.get(slot);
      if (!range) ranges.set(slot, { fromSeq: seq, toSeq: seq });
      else range.toSeq = seq;
    }
    next.creates.unshift(...batch.creates);
    next.gaps.unshift(...batch.gaps, ...[...ranges].map(([slot, range]) => ({ slot, ...range })));
    // What was captured is not an event: it waits for the next batch rather than becoming a gap.
    next.captures.unshift(...batch.captures);
    next.ends.unshift(...batch.ends);
    next.cancels.unshift(...batch.cancels);
    next.releaseHeld ||= batch.releaseHeld;
    this.added();
  }
}

function isEmpty(batch: PendingBatch): boolean {
  const { length, creates, gaps, captures, ends, cancels, releaseHeld } = batch;
  return length === 0 && creates.length === 0 && gaps.length === 0 && captures.length === 0 && ends.length === 0 && cancels.length === 0 && !releaseHeld;
}

/** A batch with nothing in it, in the typed columns of `reused` (a batch already sealed) when given. */
function emptyBatch(reused?: PendingBatch): PendingBatch {
  const { slots, seqs, tUs, kinds, textLengths } = reused ?? emptyColumns();
  return {
    creates: [],
    length: 0,
    slots,
    seqs,
    tUs,
    kinds,
    values: [],
    texts: [],
    textLengths,
    gaps: [],
    captures: [],
    ends: [],
    cancels: [],
    releaseHeld: false,
  };
}
