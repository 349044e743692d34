import type { Agent, RunStreamEvent } from '@openai/agents';
import { errorMessage } from '../errors.js';
import { describeStartingAgent, describeStreamEvent, type DescribedEvent } from '../events/describe.js';
import type { RunStore } from '../store/runStore.js';
import { newRunId } from '../store/runStore.js';
import type { RunEnd, StoredEvent } from '../store/types.js';
import { describeAgentGraph } from './agentGraph.js';
import { agentsSdkVersion } from './sdkVersion.js';
import type { RecordingClock } from './clock.js';

export interface RunRecordingInit {
  name: string | null;
  startingAgent: Agent<any, any>;
  input: unknown;
  tags: string[];
  metadata: Record<string, unknown>;
  /** RunConfig.model, which overrides every agent's own. */
  runnerModel?: string;
}

export interface RunRecordingOptions {
  /** Events per write transaction. */
  batchSize: number;
  /** The longest an event waits in memory: what a crash can lose. */
  flushIntervalMs: number;
  /** Where the one warning about a failing store goes. */
  warn: (message: string) => void;
  /** Every timestamp: event offsets, the run's start and duration, and so when a buffer is overdue. */
  clock: RecordingClock;
}

/** Recordings still open when the process exits get their buffered events written on the way out. */
const openRecordings = new Set<RunRecording>();
let exitHookInstalled = false;
function flushOnExit(recording: RunRecording): void {
  openRecordings.add(recording);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const r of openRecordings) r.flush();
  });
}

/**
 * One run's recording: stamps each event (seq, monotonic offset, active agent), buffers it, and writes
 * batches. The store can fail at any point (read-only, disk full, locked); the run must not notice: the
 * first failure is reported once, later events are dropped so the stored ones stay a gap-free prefix,
 * and the run is marked as a partial recording if the store still takes that.
 */
export class RunRecording {
  readonly runId = newRunId();
  readonly #store: RunStore | null;
  readonly #options: RunRecordingOptions;
  readonly #t0: number;
  #seq = 0;
  #activeAgent: string;
  #buffer: StoredEvent[] = [];
  #failure: string | null = null;
  #flushTimer: NodeJS.Timeout | undefined;
  #flushScheduled = false;
  #finished = false;
  /** The run's row exists: only then is there anything to append to or finish. */
  #created = false;

  constructor(store: RunStore | null, init: RunRecordingInit, options: RunRecordingOptions) {
    this.#store = store;
    this.#options = options;
    this.#t0 = options.clock.now();
    this.#activeAgent = init.startingAgent.name;
    if (!store) {
      this.#failure = 'no store';
      return;
    }
    this.#attempt(() =>
      store.createRun({
        id: this.runId,
        name: init.name,
        startedAt: options.clock.wallNow(),
        startingAgent: init.startingAgent.name,
        input: init.input,
        sdkVersion: agentsSdkVersion(),
        tags: init.tags,
        metadata: init.metadata,
        agents: describeAgentGraph(init.startingAgent, init.runnerModel),
      }),
    );
    if (this.#failure) return;
    this.#created = true;
    // The TS SDK announces no starting agent; the recording does, as seq 0.
    this.#push(describeStartingAgent(init.startingAgent.name));
    this.#flushTimer = setInterval(() => this.flush(), options.flushIntervalMs).unref();
    flushOnExit(this);
  }

  /** The hot path: runs once per SDK event, between the SDK and the application. */
  capture(event: RunStreamEvent): void {
    if (this.#failure) return;
    try {
      this.#push(describeStreamEvent(event));
    } catch (error) {
      // An event shape this version cannot read must not reach the application as an error.
      this.#fail(error);
      return;
    }
    // Timers and setImmediate run only when the event loop turns, and a stream fed by microtasks alone
    // (a CPU-bound model, a scripted one) never lets it until the run ends: write an overdue buffer now,
    // or a crash would lose everything and the buffer would hold the whole run.
    if (this.#buffer.at(-1)!.tUs - this.#buffer[0]!.tUs >= this.#options.flushIntervalMs * 1000) {
      this.flush();
      return;
    }
    if (this.#buffer.length >= this.#options.batchSize && !this.#flushScheduled) {
      // Write after the application got this event, not in its way.
      this.#flushScheduled = true;
      setImmediate(() => {
        this.#flushScheduled = false;
        this.flush();
      });
    }
  }

  #push(described: DescribedEvent): void {
    if (described.newAgent) this.#activeAgent = described.newAgent;
    this.#buffer.push({
      seq: this.#seq++,
      tUs: this.elapsedUs(),
      level: described.level,
      name: described.name,
      agent: this.#activeAgent,
      payload: described.payload,
    });
  }

  /** Microseconds since the run started, on the same clock as the events. */
  elapsedUs(): number {
    return Math.round((this.#options.clock.now() - this.#t0) * 1000);
  }

  flush(): void {
    if (this.#failure || this.#buffer.length === 0) return;
    const batch = this.#buffer;
    this.#buffer = [];
    this.#attempt(() => this.#store!.appendEvents(this.runId, batch));
  }

  finish(end: RunEnd): void {
    if (this.#finished) return;
    this.#finished = true;
    clearInterval(this.#flushTimer);
    openRecordings.delete(this);
    this.flush();
    if (!this.#created) return;
    // The end of the run is worth writing even after a failed batch: the failure may have passed.
    this.#attempt(() => this.#store!.finishRun(this.runId, end));
    if (this.#failure) this.#attempt(() => this.#store!.markPartial(this.runId, this.#failure!));
  }

  get failure(): string | null {
    return this.#failure;
  }

  /** Runs one write; a failure is reported and ends the writing of events. */
  #attempt(write: () => void): void {
    try {
      write();
    } catch (error) {
      this.#fail(error);
    }
  }

  /** The first failure is reported, once; events are no longer kept, so the stored ones stay a gap-free prefix. */
  #fail(error: unknown): void {
    if (this.#failure) return;
    this.#failure = errorMessage(error);
    this.#buffer = [];
    this.#options.warn(`runtape: recording of run ${this.runId} stopped (${this.#failure}); the agent run goes on unrecorded`);
  }
}
