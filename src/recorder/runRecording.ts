import type { Agent, RunStreamEvent } from '@openai/agents';
import type { CaptureKind, CaptureRecords, CaptureSink } from '../capture/types.js';
import type { RedactionSpec } from '../redaction/options.js';
import { newRunId } from '../store/runStore.js';
import type { RunEnd } from '../store/types.js';
import { describeAgentGraph } from './agentGraph.js';
import type { RecordingClock } from './clock.js';
import { agentsSdkVersion } from './sdkVersion.js';
import { EventKind } from './writer/compactEvent.js';
import type { RecordingWriter } from './writer/recordingWriter.js';

/** The recorded run, and its tool call, that a child run (an agent used as a tool) runs in. */
export interface RunParent {
  runId: string;
  callId: string | null;
}

export interface RunRecordingInit {
  name: string | null;
  startingAgent: Agent<any, any>;
  input: unknown;
  tags: string[];
  metadata: Record<string, unknown>;
  /** RunConfig.model, which overrides every agent's own. */
  runnerModel?: string;
  clock: RecordingClock;
  /** When the run started on `clock` (ms): a RecordingRunner knows it before the SDK's result exists. */
  startedAt?: number;
  /** Where the one warning about a failing store goes. */
  warn: (message: string) => void;
  /** For a run resumed from a RunState: the tool calls it was interrupted at (they name the run it continues). */
  resumesCallIds: string[];
  /** Whether capture modules record into it (a RecordingRunner's run; not a run `record` wrapped once started). */
  captured: boolean;
  /** What the writer masks before storing anything of the run. */
  redaction: RedactionSpec;
  /** For a child run: the recorded run and the tool call it runs in. */
  parent: RunParent | null;
}

/**
 * One run's recording, on the application's thread: stamps each event as the SDK produces it (seq and
 * offset on the run's clock) and hands it to the process's writer thread in its compact form, with what
 * capture modules saw (it is their sink). Nothing here waits on the database. A failing store is reported
 * once; the run goes on.
 */
export class RunRecording implements CaptureSink {
  readonly runId = newRunId();
  readonly #stored: Promise<void>;
  readonly #writer: RecordingWriter | null;
  readonly #slot: number;
  readonly #clock: RecordingClock;
  readonly #t0: number;
  #seq = 0;
  #ended = false;
  #failure: string | null = null;
  readonly #ending: (() => void)[] = [];

  constructor(writer: RecordingWriter | null, init: RunRecordingInit) {
    this.#writer = writer;
    this.#clock = init.clock;
    this.#t0 = init.startedAt ?? init.clock.now();
    let settle!: () => void;
    this.#stored = new Promise((resolve) => (settle = resolve));
    if (!writer) {
      this.#failure = 'no store';
      this.#slot = -1;
      settle();
      return;
    }
    this.#slot = writer.openRun(
      {
        id: this.runId,
        name: init.name,
        startedAt: Math.round(init.clock.wallNow() - (init.clock.now() - this.#t0)),
        startingAgent: init.startingAgent.name,
        input: init.input,
        sdkVersion: agentsSdkVersion(),
        tags: init.tags,
        metadata: init.metadata,
        agents: describeAgentGraph(init.startingAgent, init.runnerModel),
        resumedFrom: null,
        parentRunId: init.parent?.runId ?? null,
        parentCallId: init.parent?.callId ?? null,
        captured: init.captured,
      },
      init.resumesCallIds,
      init.redaction,
      {
        failed: (message) => this.#fail(message, init.warn),
        ended: settle,
      },
    );
    // The TS SDK announces no starting agent; the recording does, as seq 0.
    writer.push(this.#slot, this.#seq++, 0, EventKind.StartingAgent, init.startingAgent.name);
  }

  /** The hot path: once per SDK event, as the SDK produces it. */
  event(event: RunStreamEvent): void {
    if (this.#ended || this.#failure) return;
    this.#writer!.pushEvent(this.#slot, this.#seq++, (this.#clock.now() - this.#t0) * 1000, event);
  }

  /** An event seen after the fact (a non-streamed run's items), at the offset (µs) it happened. */
  eventAt(event: RunStreamEvent, tUs: number): void {
    if (this.#ended || this.#failure) return;
    this.#writer!.pushEvent(this.#slot, this.#seq++, tUs, event);
  }

  /** The seq the run's next event gets. */
  nextSeq(): number {
    return this.#seq;
  }

  capture<K extends CaptureKind>(kind: K, record: CaptureRecords[K]): void {
    if (this.#ended || this.#failure) return;
    this.#writer!.pushCapture(this.#slot, kind, record);
  }

  /** `fn` runs when the run ends, just before its end is recorded: a capture module's last word (a call left open). */
  whenEnding(fn: () => void): void {
    this.#ending.push(fn);
  }

  /** Settles when everything about the run that will be stored is stored; the process stays up for it. */
  stored(): Promise<void> {
    if (this.#writer && this.#slot >= 0) this.#writer.holdUntilEnded(this.#slot);
    return this.#stored;
  }

  /**
   * Like stored(), waiting at most `timeoutMs`: true once stored, false when the writer is still waiting
   * (another process holds the database's lock); the process then no longer stays up for it.
   */
  async storedWithin(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const stored = await Promise.race([this.stored().then(() => true), gaveUp]);
    clearTimeout(timer);
    if (!stored && this.#writer) this.#writer.release(this.#slot);
    return stored;
  }

  /** Microseconds since the run started, on the same clock as the events. */
  elapsedUs(): number {
    return Math.round((this.#clock.now() - this.#t0) * 1000);
  }

  get ended(): boolean {
    return this.#ended;
  }

  end(end: RunEnd): void {
    if (this.#ended) return;
    for (const fn of this.#ending.splice(0)) fn();
    this.#ended = true;
    if (this.#writer && this.#slot >= 0) this.#writer.endRun(this.#slot, end);
  }

  /** The application cancelled the run after its end was recorded. */
  cancelAfterEnd(cancelledBy: 'signal' | 'consumer'): void {
    if (this.#ended && !this.#failure && this.#writer) this.#writer.cancelEndedRun(this.runId, cancelledBy);
  }

  #fail(message: string, warn: (message: string) => void): void {
    if (this.#failure) return;
    this.#failure = message;
    warn(`runtape: recording of run ${this.runId} stopped (${message}); the agent run goes on unrecorded`);
  }
}
