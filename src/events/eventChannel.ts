/**
 * The application's side of a stream of events: a queue its producer (the recorder reading the SDK stream,
 * or a replay) fills, exposed as one ReadableStream, like the SDK's own result. Nothing is dropped or
 * reordered; nothing waits for the application (the SDK's stream does not either: it queues without
 * backpressure).
 */
export class EventChannel<T> {
  readonly #queue: T[] = [];
  #end: { error?: unknown } | undefined;
  #wake: (() => void) | undefined;
  #stream: ReadableStream<T> | undefined;

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

  /** The one stream of this channel; a second reader gets the stream's own "locked" error, as with the SDK. */
  stream(): ReadableStream<T> {
    this.#stream ??= new ReadableStream<T>(
      {
        pull: async (controller) => {
          while (this.#queue.length === 0 && !this.#end) {
            await new Promise<void>((resolve) => (this.#wake = resolve));
            this.#wake = undefined;
          }
          if (this.#queue.length > 0) {
            // Hand over everything queued at once; the stream keeps the order.
            for (const value of this.#queue.splice(0)) controller.enqueue(value);
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
    return this.#stream;
  }
}
