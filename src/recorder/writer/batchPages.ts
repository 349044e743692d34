/** Events per batch handed to the writer thread: a page holds one batch. */
export const PAGE_EVENTS = 512;

/** The numeric columns of a batch's events, one entry per event. */
export interface EventColumns {
  slots: Int32Array;
  seqs: Int32Array;
  /** Microseconds from the run's start, unrounded. */
  tUs: Float64Array;
  kinds: Uint8Array;
  /** Each text delta's length in the batch's joined text, at its event's index. */
  textLengths: Int32Array;
}

/** Bytes one event takes in a page: tUs, then slots, seqs and textLengths, then kinds. */
const EVENT_BYTES = 8 + 4 + 4 + 4 + 1;

/**
 * The numeric columns of the batches on their way to the writer, in memory both threads share. Cloning a
 * batch's typed arrays into its message cost the application's thread about a microsecond per event (each
 * clone a new ArrayBuffer: external memory, and more garbage collection on both threads); copying them into
 * a shared page costs next to nothing, and the message carries only the batch's text and its few other
 * values. Batch n uses page n % pages: the application's thread fills a page only once the writer has
 * handled the batch that used it before, which its backpressure guarantees (it never has more than `pages`
 * batches in flight).
 */
export class BatchPages {
  readonly #pages: EventColumns[] = [];

  constructor(readonly buffer: SharedArrayBuffer) {
    const pages = buffer.byteLength / (PAGE_EVENTS * EVENT_BYTES);
    for (let page = 0; page < pages; page++) {
      const at = (column: number) => pages * PAGE_EVENTS * column + page * PAGE_EVENTS;
      this.#pages.push({
        tUs: new Float64Array(buffer, 8 * at(0), PAGE_EVENTS),
        slots: new Int32Array(buffer, 8 * pages * PAGE_EVENTS + 4 * at(0), PAGE_EVENTS),
        seqs: new Int32Array(buffer, 8 * pages * PAGE_EVENTS + 4 * at(1), PAGE_EVENTS),
        textLengths: new Int32Array(buffer, 8 * pages * PAGE_EVENTS + 4 * at(2), PAGE_EVENTS),
        kinds: new Uint8Array(buffer, 20 * pages * PAGE_EVENTS + at(0), PAGE_EVENTS),
      });
    }
  }

  static create(pages: number): BatchPages {
    return new BatchPages(new SharedArrayBuffer(pages * PAGE_EVENTS * EVENT_BYTES));
  }

  /** The columns of page `page`. */
  columns(page: number): EventColumns {
    return this.#pages[page]!;
  }

  /** Copies a batch's first `length` events into page `page`. */
  fill(page: number, from: EventColumns, length: number): void {
    const to = this.#pages[page]!;
    to.tUs.set(from.tUs.subarray(0, length));
    to.slots.set(from.slots.subarray(0, length));
    to.seqs.set(from.seqs.subarray(0, length));
    to.textLengths.set(from.textLengths.subarray(0, length));
    to.kinds.set(from.kinds.subarray(0, length));
  }
}

/** Columns for one batch, private to the thread that fills them. */
export function emptyColumns(): EventColumns {
  return {
    slots: new Int32Array(PAGE_EVENTS),
    seqs: new Int32Array(PAGE_EVENTS),
    tUs: new Float64Array(PAGE_EVENTS),
    kinds: new Uint8Array(PAGE_EVENTS),
    textLengths: new Int32Array(PAGE_EVENTS),
  };
}
