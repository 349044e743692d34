import type { Agent, StreamedRunResult } from '@openai/agents';
import { sanitizeLine } from '../events/sanitize.js';
import { redactionSpecOf, type RedactOptions } from '../redaction/options.js';
import { resolveDbPath } from '../store/openStore.js';
import { BUSY_TIMEOUT_MS, type RunStore } from '../store/runStore.js';
import { systemClock, type RecordingClock } from './clock.js';
import { observeResult, type ResultObserver } from './resultHooks.js';
import { runEndOf } from './runEnd.js';
import { RunRecording, type RunParent } from './runRecording.js';
import { RecordingWriter } from './writer/recordingWriter.js';

export interface RecordOptions {
  /** Database path or an open store; default `--db` rules: RUNTAPE_DB, then recordings/runtape.db. */
  db?: string | RunStore;
  name?: string;
  tags?: string[];
  metadata?: Record<string, unknown>;
  /** Where a failing store's one warning goes; default stderr. */
  warn?: (message: string) => void;
  /** Where timestamps come from; default the system's monotonic clock. */
  clock?: RecordingClock;
  /**
   * A RecordingRunner also records what each agent saw (its model calls as sent); default true. `false`
   * records the run's events only, as `record(result)` does.
   */
  capture?: boolean;
  /**
   * What is masked before anything of the run is stored, beyond the API keys and authorization headers that
   * never are (see the README, "Redaction"). Applied on the writer thread.
   */
  redact?: RedactOptions;
}

export interface RecordStartOptions extends RecordOptions {
  /** The agent the run started with: the SDK announces none, so the recorder must be told. */
  startingAgent: Agent<any, any>;
  /** The run's input; default the result's own (`result.input`). */
  input?: unknown;
  /** RunConfig.model, when the runner overrides every agent's model. */
  runnerModel?: string;
  /** The application's abort signal, which tells an abort from a consumer that stopped reading. */
  signal?: AbortSignal;
  /** When the run started on `clock` (ms), if before the result existed. */
  startedAt?: number;
  /** For a run resumed from a RunState: the tool calls it was interrupted at. */
  resumesCallIds?: string[];
  /** Capture modules record what each agent saw into this run (a RecordingRunner's: it runs the run from its start). */
  captured?: boolean;
  /** For a child run (an agent used as a tool): the recorded run and the tool call it runs in. */
  parent?: RunParent;
}


/** The recording of each recorded result. */
const recordings = new WeakMap<object, RunRecording>();

/** The id under which `record` (or a RecordingRunner) stores this result's run. */
export function recordedRunId(result: object): string | undefined {
  return recordings.get(result)?.runId;
}

/**
 * Settles once everything about this result's run that will be stored is stored. The run's own end never
 * waits on the database; whoever reads the recording right after a run (a test, a CLI) awaits this.
 */
export function recordingStored(result: object): Promise<void> {
  return recordings.get(result)?.stored() ?? Promise.resolve();
}

/**
 * For a command that must end: waits for the recording like recordingStored, at most as long as a command
 * waits for a database lock; false when it is still not stored (the database is locked by another process).
 */
export function recordingStoredWithin(result: object, timeoutMs = BUSY_TIMEOUT_MS): Promise<boolean> {
  return recordings.get(result)?.storedWithin(timeoutMs) ?? Promise.resolve(true);
}

/**
 * Breaking out of the loop or cancelling the stream marks the SDK's result cancelled even after the run
 * ended (with events still unread): the recording follows. The stream's cancel aborts the result's own
 * signal first and sets `cancelled` right after, hence the microtask.
 */
function watchLateCancel(result: StreamedRunResult<any, any>, recording: RunRecording, appSignal: AbortSignal | undefined): void {
  const signal = (result as { _getAbortSignal?: () => AbortSignal | undefined })._getAbortSignal?.();
  signal?.addEventListener(
    'abort',
    () => queueMicrotask(() => {
      if (result.cancelled && recording.ended) recording.cancelAfterEnd(appSignal?.aborted ? 'signal' : 'consumer');
    }),
    { once: true },
  );
}

/** Where the recorder's one warning goes unless told otherwise (it quotes paths and SQLite's words: sanitized). */
export const defaultWarn = (message: string): void => void process.stderr.write(sanitizeLine(message) + '\n');

/**
 * Records a streamed run the SDK already started, and returns the very same result: the application keeps
 * the SDK's object and every one of its semantics. Call it right after `run()`: the recorder observes
 * events as the SDK produces them, from then on, whether or not the application reads them.
 */
export function record<TResult extends StreamedRunResult<any, any>>(result: TResult, options: RecordStartOptions): TResult {
  observeResult(result, () => recordingObserver(result, options));
  return result;
}

/** The process's writer for the database the options name (started on first use; null when it cannot record). */
export function writerFor(options: RecordOptions): RecordingWriter | null {
  // A store the application opened is recorded into by the writer thread's own connection to the same file.
  const path = typeof options.db === 'object' ? options.db.location : resolveDbPath(options.db);
  return RecordingWriter.forDatabase(path, options.warn ?? defaultWarn);
}

/** A run's recording, begun: its row is created with what is known at its start. */
export function startRecording(options: RecordStartOptions, input: unknown): RunRecording {
  const warn = options.warn ?? defaultWarn;
  const clock = options.clock ?? systemClock;
  return new RunRecording(writerFor(options), {
    name: options.name ?? null,
    startingAgent: options.startingAgent,
    input,
    tags: options.tags ?? [],
    metadata: options.metadata ?? {},
    ...(options.runnerModel ? { runnerModel: options.runnerModel } : {}),
    ...(options.startedAt !== undefined ? { startedAt: options.startedAt } : {}),
    clock,
    warn,
    resumesCallIds: options.resumesCallIds ?? [],
    captured: options.captured ?? false,
    parent: options.parent ?? null,
    redaction: redactionSpecOf(options.redact),
  });
}

/** Makes `recordedRunId` and `recordingStored` answer for this result. */
export function registerRecording(result: object, recording: RunRecording): void {
  recordings.set(result, recording);
}

/** The observer that records one streamed run into the database the options name (into `recording`, when it exists already). */
export function recordingObserver(
  result: StreamedRunResult<any, any>,
  options: RecordStartOptions,
  recording = startRecording(options, options.input !== undefined ? options.input : result.input),
): ResultObserver {
  registerRecording(result, recording);
  watchLateCancel(result, recording, options.signal);
  return {
    event: (event) => recording.event(event),
    end: (ended, error) => {
      if (!recording.ended) recording.end(runEndOf(ended, recording.elapsedUs(), error, options.signal));
    },
  };
}
