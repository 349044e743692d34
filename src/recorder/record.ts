import type { Agent, RunStreamEvent, StreamedRunResult } from '@openai/agents';
import { toErrorRecord } from '../events/serialize.js';
import { textStreamOf, type TextStreamOptions } from '../events/textStream.js';
import type { RunStore } from '../store/runStore.js';
import type { RunEnd } from '../store/types.js';
import { systemClock, type RecordingClock } from './clock.js';
import { EventChannel } from '../events/eventChannel.js';
import { RunRecording } from './runRecording.js';
import { storeForRecording } from './storeCache.js';

export interface RecordOptions {
  /** Database path or an open store; default `--db` rules: RUNTAPE_DB, then recordings/runtape.db. */
  db?: string | RunStore;
  name?: string;
  tags?: string[];
  metadata?: Record<string, unknown>;
  /** Where a failing store's one warning goes; default stderr. */
  warn?: (message: string) => void;
  /** Events per write transaction (default 512). */
  batchSize?: number;
  /** Longest an event waits in memory before it is written, ms (default 100): what a crash can lose. */
  flushIntervalMs?: number;
  /** Where timestamps come from (default the system clock); a simulation passes its simulated one. */
  clock?: RecordingClock;
}

export interface RecordStartOptions extends RecordOptions {
  /** The agent the run started with: the SDK announces none, so the recorder must be told. */
  startingAgent: Agent<any, any>;
  input?: unknown;
  /** RunConfig.model, when the runner overrides every agent's model. */
  runnerModel?: string;
}

/** What the recorder knows of a run after wrapping it: the id it is stored under. */
const recordingIds = new WeakMap<object, string>();

/** The id under which `record` (or a RecordingRunner) stores this result's run. */
export function recordedRunId(result: object): string | undefined {
  return recordingIds.get(result);
}

/** Where the recorder's one warning goes unless told otherwise. */
export const defaultWarn = (message: string): void => void process.stderr.write(message + '\n');

/**
 * Records a streamed run. Call it on a fresh result, before anything reads it: the recorder takes the one
 * read the SDK allows and hands the application a result that behaves like the SDK's (iteration, toStream,
 * toTextStream, completed, and every other property passed through) and sees the very same event objects.
 * Events are recorded whether or not the application reads them.
 */
export function record<TResult extends StreamedRunResult<any, any>>(result: TResult, options: RecordStartOptions): TResult {
  const warn = options.warn ?? defaultWarn;
  const recording = new RunRecording(
    storeForRecording(options.db, warn),
    {
      name: options.name ?? null,
      startingAgent: options.startingAgent,
      input: options.input ?? null,
      tags: options.tags ?? [],
      metadata: options.metadata ?? {},
      ...(options.runnerModel ? { runnerModel: options.runnerModel } : {}),
    },
    { batchSize: options.batchSize ?? 512, flushIntervalMs: options.flushIntervalMs ?? 100, warn, clock: options.clock ?? systemClock },
  );

  let cancelledByConsumer = false;
  // The SDK types its stream with its own shim interface; at run time it is the platform's ReadableStream.
  const sdkReader = (result.toStream() as unknown as ReadableStream<RunStreamEvent>).getReader();
  const channel = new EventChannel<RunStreamEvent>((reason) => {
    cancelledByConsumer = true;
    // The application stopped reading: pass that on, which cancels the run as it would without us.
    void sdkReader.cancel(reason).catch(() => {});
  });

  const pumped = (async () => {
    try {
      for (;;) {
        const { done, value } = await sdkReader.read();
        if (done) break;
        recording.capture(value);
        channel.push(value);
      }
      channel.close();
    } catch (error) {
      channel.fail(error);
    }
  })();

  const finished = (async () => {
    await pumped;
    if (!cancelledByConsumer && !result.cancelled) await result.completed.catch(() => {});
    recording.finish(runEnd(result, recording, cancelledByConsumer));
  })();

  // `completed` settles as the SDK's does, once the run's end is stored too.
  const completed = result.completed.then(
    () => finished,
    (error: unknown) => finished.then(() => Promise.reject(error)),
  );
  completed.catch(() => {}); // like the SDK's: an unawaited failure is not an unhandled rejection

  const overrides: Record<PropertyKey, unknown> = {
    toStream: () => channel.stream(),
    toTextStream: (textOptions: TextStreamOptions = {}) => textStreamOf(channel.stream(), textOptions),
    [Symbol.asyncIterator]: () => channel.iterator(),
    completed,
  };

  const wrapped = new Proxy(result, {
    get(target, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property];
      // The SDK's getters read private fields: they must run on the real result, not on the proxy.
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set(target, property, value) {
      return Reflect.set(target, property, value, target);
    },
  });
  recordingIds.set(wrapped, recording.runId);
  return wrapped;
}

function runEnd(result: StreamedRunResult<any, any>, recording: RunRecording, cancelledByConsumer: boolean): RunEnd {
  const common = {
    durationUs: recording.elapsedUs(),
    lastAgent: result.lastAgent?.name ?? null,
    usage: usageOf(result),
  };
  if (cancelledByConsumer || result.cancelled) return { ...common, status: 'cancelled', finalOutput: null, error: null };
  if (result.error) return { ...common, status: 'error', finalOutput: null, error: toErrorRecord(result.error) };
  // An interrupted run has no final output yet (the SDK warns when it is read).
  if (result.interruptions.length > 0) return { ...common, status: 'interrupted', finalOutput: null, error: null };
  return { ...common, status: 'completed', finalOutput: result.finalOutput ?? null, error: null };
}

function usageOf(result: StreamedRunResult<any, any>): unknown {
  const usage = result.state?.usage;
  if (!usage) return null;
  const { requests, inputTokens, outputTokens, totalTokens } = usage;
  return { requests, inputTokens, outputTokens, totalTokens };
}
