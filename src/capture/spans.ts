import { addTraceProcessor, type Span, type TracingProcessor } from '@openai/agents';
import { currentCapture } from './captureContext.js';
import { quietly } from './quietly.js';
import { snapshot } from './snapshot.js';
import type { CaptureSink } from './types.js';

/** A span a recorded run started: whose it is, and when on that run's clock. */
interface SpanStart {
  sink: CaptureSink;
  startUs: number;
}

/**
 * A trace processor beside the application's: each span a recorded run starts and ends (told by the async
 * context it runs in, so runs sharing one trace are kept apart) goes to that run's recording. It reads the
 * spans the SDK hands every processor and changes nothing in them; spans of unrecorded runs pass by.
 */
class RecordedRunSpans implements TracingProcessor {
  readonly #started = new WeakMap<Span<any>, SpanStart>();
  #registered = true;

  get registered(): boolean {
    return this.#registered;
  }

  async onTraceStart(): Promise<void> {}
  async onTraceEnd(): Promise<void> {}

  async onSpanStart(span: Span<any>): Promise<void> {
    const sink = this.#registered ? currentCapture() : undefined;
    if (sink) this.#started.set(span, { sink, startUs: sink.elapsedUs() });
  }

  async onSpanEnd(span: Span<any>): Promise<void> {
    const start = this.#started.get(span);
    if (!start) return;
    this.#started.delete(span);
    quietly(() => {
      // Data and error as an exporter receives them (`toJSON()`); the type in the SDK's own words.
      const exported = snapshot<{ span_data?: unknown; error?: unknown } | null>(span.toJSON());
      start.sink.capture('span', {
        spanId: span.spanId,
        parentId: span.parentId,
        traceId: span.traceId,
        type: span.spanData.type,
        startUs: start.startUs,
        endUs: start.sink.elapsedUs(),
        data: exported?.span_data ?? null,
        error: exported?.error ?? null,
      });
    });
  }

  /** `setTraceProcessors` (the application's, or the SDK's own) shuts down the processors it replaces. */
  async shutdown(): Promise<void> {
    this.#registered = false;
  }

  async forceFlush(): Promise<void> {}
}

let current: RecordedRunSpans | undefined;

/**
 * Makes sure the spans of the run about to start are recorded. `setTraceProcessors` replaces every processor,
 * so this runs per run: once the application (or the SDK on import) has replaced it, a new one is added.
 * Tracing settings stay the application's: with tracing off no span reaches any processor, this one included.
 */
export function observeSpans(): void {
  if (current?.registered) return;
  current = new RecordedRunSpans();
  addTraceProcessor(current);
}
