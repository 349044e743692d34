/**
 * The application's side of a stream of events: a queue its producer (the recorder reading the SDK stream,
 * or a replay) fills, read once, as the SDK's result is: through `for await` or through `stream()`.
 * Nothing is dropped or reordered; nothing waits for the application (the SDK's stream does not either:
 * it queues without backpressure).
 */
export class EventChannel<T> {
  #queue: T[] = [];
  #head = 0;
  #end: { error?: unknown } | undefined;
  #wake: (() => void) | undefined;
  #stream: ReadableStream<T> | undefined;
  #iterating = false;

  constructor(private readonly onCancel: (reason: unknown) => void) {}

  push(value: T): void {
    this.#queue.push(value);
    this.#wake?.();
  }

  close(): void {
    this.#end ??= {};
    this.#wake?.();
  }

  fail(error: unknown): void {
    this.#end ??= { error };
    this.#wake?.();
  }

  /**
   * The channel as one ReadableStream. Once `for await` has the channel, the stream comes back locked,
   * and a second reader gets the stream's own "locked" error, as with the SDK.
   */
  stream(): ReadableStream<T> {
    if (!this.#stream) {
      this.#stream = new ReadableStream<T>(
        {
          pull: async (controller) => {
            await this.#available();
            if (this.#head < this.#queue.length) {
              // Hand over everything queued at once; the stream keeps the order.
              for (const value of this.#takeAll()) controller.enqueue(value);
            } else if (this.#end!.error !== undefined) {
              controller.error(this.#end!.error);
            } else {
              controller.close();
            }
          },
          cancel: (reason) => this.onCancel(reason),
        },
        { highWaterMark: 0 },
      );
      if (this.#iterating) this.#stream.getReader();
    }
    return this.#stream;
  }

  /**
   * `for await` over the channel. Reads the queue directly rather than through a ReadableStream: the
   * stream machinery costs more per event than the rest of the recorder's work. Breaking out cancels.
   */
  iterator(): AsyncIterableIterator<T> {
    if (this.#stream || this.#iterating) return this.stream()[Symbol.asyncIterator]();
    this.#iterating = true;
    let finished = false;
    const done = (): IteratorResult<T> => ({ value: undefined, done: true });
    const settle = (): IteratorResult<T> => {
      if (this.#head < this.#queue.length) return { value: this.#takeOne(), done: false };
      finished = true;
      if (this.#end!.error !== undefined) throw this.#end!.error;
      return done();
    };
    const iterator: AsyncIterableIterator<T> = {
      // Not an async function: when an event is waiting (the usual case) it costs one settled promise.
      next: () => {
        if (finished) return Promise.resolve(done());
        if (this.#head < this.#queue.length || this.#end) {
          try {
            return Promise.resolve(settle());
          } catch (error) {
            return Promise.reject(error);
          }
        }
        return this.#available().then(settle);
      },
      return: async () => {
        if (!finished) {
          finished = true;
          this.onCancel(undefined);
        }
        return done();
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** Resolves once there is an event to take or the producer has ended. */
  async #available(): Promise<void> {
    while (this.#head === this.#queue.length && !this.#end) {
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }

  #takeOne(): T {
    const value = this.#queue[this.#head]!;
    this.#queue[this.#head++] = undefined as T; // delivered events are the application's to keep, not ours
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head > 4096 && this.#head * 2 > this.#queue.length) {
      // A reader that never quite catches up: drop the delivered slots now and then.
      this.#queue.splice(0, this.#head);
      this.#head = 0;
    }
    return value;
  }

  #takeAll(): T[] {
    const values = this.#queue.slice(this.#head);
    this.#queue = [];
    this.#head = 0;
    return values;
  }
}
