import { Runner, setTraceProcessors, setTracingDisabled, type Span, type Trace, type TracingProcessor } from '@openai/agents';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordingRunner, openStore, recordedRunId, recordingStored } from '../../src/index.js';
import { withCapture } from '../../src/capture/captureContext.js';
import { observeSpans } from '../../src/capture/spans.js';
import { CollectingSink } from '../support/collectingSink.js';
import { twoAgentRun } from '../support/scriptedTurns.js';
import { useTempDir } from '../support/tempDb.js';

const tempDir = useTempDir();

/** An application's processor: every span it is handed, as JSON, in the order it got them. */
class ApplicationProcessor implements TracingProcessor {
  readonly ended: Record<string, any>[] = [];
  async onTraceStart(_trace: Trace): Promise<void> {}
  async onTraceEnd(_trace: Trace): Promise<void> {}
  async onSpanStart(_span: Span<any>): Promise<void> {}
  async onSpanEnd(span: Span<any>): Promise<void> {
    this.ended.push(span.toJSON() as Record<string, any>);
  }
  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}
}

/** What a span says, without what differs between any two runs (ids, clock times). */
function shapeOf(spans: Record<string, any>[]): unknown[] {
  const ids = new Map(spans.map((s, i) => [s.id as string, i]));
  return spans.map((s) => ({ data: s.span_data, error: s.error, parent: ids.get(s.parent_id) ?? s.parent_id }));
}

async function weatherRun(runner: Runner) {
  const { triage } = twoAgentRun();
  const result = await runner.run(triage, 'Weather in Paris?', { stream: true });
  for await (const _ of result);
  await result.completed;
  return result;
}

describe('spans', () => {
  // The suite runs with tracing off (no exports to the network); these tests turn it on, with only their processors.
  beforeAll(() => setTracingDisabled(false));
  afterAll(() => {
    setTraceProcessors([]);
    setTracingDisabled(true);
  });

  it("records a recorded run's spans, and the application's processor gets the same spans with and without it", async () => {
    const without = new ApplicationProcessor();
    setTraceProcessors([without]);
    await weatherRun(new Runner());

    const withRuntape = new ApplicationProcessor();
    setTraceProcessors([withRuntape]);
    const sink = new CollectingSink();
    observeSpans();
    await withCapture(sink, () => weatherRun(new Runner()));

    expect(without.ended.length).toBeGreaterThan(0);
    expect(shapeOf(withRuntape.ended)).toEqual(shapeOf(without.ended));
    expect(sink.records.span.map((s) => s.spanId)).toEqual(withRuntape.ended.map((s) => s.id));
    expect(sink.records.span.map((s) => s.data)).toEqual(withRuntape.ended.map((s) => s.span_data));
    expect(new Set(sink.records.span.map((s) => s.traceId)).size).toBe(1);
    expect(sink.records.span.map((s) => s.type)).toEqual(expect.arrayContaining(['agent', 'handoff', 'function']));
    for (const span of sink.records.span) expect(span.endUs).toBeGreaterThan(span.startUs!);
  });

  it('keeps recording after the application replaces every processor, and records only runs it is told to', async () => {
    observeSpans();
    const app = new ApplicationProcessor();
    setTraceProcessors([app]);
    const sink = new CollectingSink();
    observeSpans();
    await Promise.all([withCapture(sink, () => weatherRun(new Runner())), weatherRun(new Runner())]);

    const traces = new Set(app.ended.map((s) => s.trace_id));
    expect(traces.size).toBe(2);
    const recorded = new Set(sink.records.span.map((s) => s.spanId));
    expect(recorded.size).toBe(app.ended.length / 2);
    expect(new Set(sink.records.span.map((s) => s.traceId)).size).toBe(1);
  });

  it('stores the spans of a RecordingRunner run, and its application processor sees what it would under Runner', async () => {
    const without = new ApplicationProcessor();
    setTraceProcessors([without]);
    await weatherRun(new Runner());

    const app = new ApplicationProcessor();
    setTraceProcessors([app]);
    const store = await openStore(join(tempDir(), 'runs.db'));
    const result = await weatherRun(new RecordingRunner({}, { db: store }));
    await recordingStored(result);
    const spans = await store.captures(recordedRunId(result)!, 'span');
    await store.close();

    expect(shapeOf(app.ended)).toEqual(shapeOf(without.ended));
    expect(spans.map((s) => s.spanId)).toEqual(app.ended.map((s) => s.id));
    expect(spans.map((s) => s.data)).toEqual(app.ended.map((s) => s.span_data));
  });
});
