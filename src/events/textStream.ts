import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

interface TextDeltaEvent {
  type: string;
  data?: { type?: string; delta?: unknown };
}

export interface TextStreamOptions {
  compatibleWithNodeStreams?: boolean;
}

/** The text of a stream of `RunStreamEvent`s, as the SDK's `toTextStream()` gives it: output text deltas only. */
export function textStreamOf<E extends TextDeltaEvent>(events: ReadableStream<E>, options: TextStreamOptions = {}): ReadableStream<string> | Readable {
  const text = events.pipeThrough(
    new TransformStream<E, string>({
      transform(event, controller) {
        if (event.type === 'raw_model_stream_event' && event.data?.type === 'output_text_delta' && typeof event.data.delta === 'string') {
          controller.enqueue(event.data.delta);
        }
      },
    }),
  );
  return options.compatibleWithNodeStreams ? Readable.fromWeb(text as NodeReadableStream<string>) : text;
}
