import { Worker } from 'node:worker_threads';
import { errorMessage } from '../../errors.js';
import { SqliteEngine } from '../../store/sqlite/sqliteEngine.js';
import type { RedactionSpec } from '../../redaction/options.js';
import type { NewRun, RunEnd } from '../../store/types.js';
import type { RunStreamEvent } from '@openai/agents';
import type { CaptureKind } from '../../capture/types.js';
import { toJsonText } from '../../events/serialize.js';
import { describeInPlace, writeCompactEvent, type EventKind } from './compactEvent.js';
import { EXITING, HANDLED, IN_SQLITE, type WriterBatch, type WriterInit, type WriterReport } from './protocol.js';
import { startWriterWorker } from './startWorker.js';

/** Events per batch handed to the writer thread. */
const BATCH_SIZE = 512;
/** The longest an event waits on the application's thread before it is handed over: part of what a crash loses. */
const BATCH_DELAY_MS = 20;
/**
 * Batches the writer may be behind before the application waits for it (backpressure): bounds the memory a
 * fast stream can pile up (~64k events). Counted in batches, which a slow start of the writer thread fills
 * with small ones (one per 20 ms): a bound much lower than this turned a writer that took over a second to
 * start on a loaded machine into gaps at the start of the run.
 */
const MAX_QUEUED_BATCHES = 128;
/** How long the application waits for a stuck writer before events are dropped (a recorded gap). */
const STUCK_WRITER_MS = 1000;

export interface RunCallbacks {
  /** Writing this run failed (one call). */
  failed(message: string): void;
  /** The run's end was handled by the writer. */
  ended(): void;
}

/**
 * The application's side of the writer thread: one per process and database, shared by every run the
 * process records. The hot path (`push`) only fills columns; batches go to the worker whole.
 */
export class RecordingWriter {
  readonly #worker: Worker;
  readonly #handled: Int32Array;
  readonly #runs = new Map<number, RunCallbacks>();
  #posted = 0;
  #nextSlot = 0;
  #batch: WriterBatch = emptyBatch();
  #batchStartedAt = 0;
  #timer: NodeJS.Timeout | undefined;
  #dead: string | null = null;
  #stuck = false;
  readonly #held = new Set<number>();

  private constructor(readonly path: string) {
    const handled = new SharedArrayBuffer(12);
    this.#handled = new Int32Array(handled);
    const init: WriterInit = { path, handled };
    this.#worker = startWriterWorker(init);
    this.#worker.on('message', (report: WriterReport) => this.#onReport(report));
    this.#worker.on('error', (error) => this.#die(errorMessage(error)));
    this.#worker.on('exit', (code) => this.#die(`writer thread exited (${code})`));
    // The writer never keeps the application alive (after the listeners: adding one refs the port again);
    // what it has not stored yet is flushed on the way out.
    this.#worker.unref();
    process.once('exit', () => {
      this.flushSync(STUCK_WRITER_MS);
      this.#stopBeforeExit();
    });
  }

  static #writers = new Map<string, RecordingWriter | null>();

  /**
   * The process's writer for a database, started on first use. The database is opened here first, on the
   * application's thread, so a file that cannot be a recordings database is refused at once (reported,
   * and nothing written to it), and it is migrated before the writer opens it.
   */
  static forDatabase(path: string, warn: (message: string) => void): RecordingWriter | null {
    if (!this.#writers.has(path)) {
      try {
        SqliteEngine.open(path).close();
        this.#writers.set(path, new RecordingWriter(path));
      } catch (error) {
        warn(`runtape: not recording (${errorMessage(error)}); agent runs go on unrecorded`);
        this.#writers.set(path, null);
      }
    }
    return this.#writers.get(path)!;
  }

  openRun(run: NewRun, resumesCallIds: string[], redaction: RedactionSpec, callbacks: RunCallbacks): number {
    const slot = this.#nextSlot++;
    this.#runs.set(slot, callbacks);
    if (this.#dead) {
      callbacks.failed(this.#dead);
      return slot;
    }
    this.#batch.creates.push({ slot, run, resumesCallIds, redaction });
    this.#armTimer();
    return slot;
  }

  /** The hot path: once per SDK event, on the application's thread. */
  pushEvent(slot: number, seq: number, tUs: number, event: RunStreamEvent): void {
    const batch = this.#batch;
    const i = batch.length++;
    writeCompactEvent(event, batch, i);
    this.#stamp(batch, i, slot, seq, tUs);
  }

  /** An event of the recorder's own (the starting agent), already in its compact form. */
  push(slot: number, seq: number, tUs: number, kind: EventKind, value: unknown): void {
    const batch = this.#batch;
    const i = batch.length++;
    batch.kinds[i] = kind;
    batch.values[i] = value;
    this.#stamp(batch, i, slot, seq, tUs);
  }

  #stamp(batch: WriterBatch, i: number, slot: number, seq: number, tUs: number): void {
    batch.slots[i] = slot;
    batch.seqs[i] = seq;
    batch.tUs[i] = tUs;
    if (i === 0) this.#armTimer();
    // A stream fed by microtasks alone (a CPU-bound model) never lets the timer run: look at the time now and then.
    if (i + 1 === BATCH_SIZE || ((i & 63) === 63 && performance.now() - this.#batchStartedAt >= BATCH_DELAY_MS)) this.#post();
  }

  /** A capture module's record (once per model call, handoff, tool call ...): not the hot path. */
  pushCapture(slot: number, kind: CaptureKind, record: unknown): void {
    this.#batch.captures.push({ slot, kind, record });
    this.#armTimer();
  }

  endRun(slot: number, end: RunEnd): void {
    this.#batch.ends.push({ slot, end });
    this.#post();
  }

  cancelEndedRun(runId: string, cancelledBy: 'signal' | 'consumer'): void {
    this.#batch.cancels.push({ runId, cancelledBy });
    this.#post();
  }

  #armTimer(): void {
    if (this.#timer) return;
    this.#batchStartedAt = performance.now();
    this.#timer = setTimeout(() => this.#post(), BATCH_DELAY_MS).unref();
  }

  #post(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#batch;
    // Posting copies the batch: its typed columns are reused for the next one (what reads them below runs first).
    this.#batch = emptyBatch(batch);
    if (this.#dead) return;
    if (!this.#hasRoom()) return this.#dropAsGap(batch);
    batch.text = batch.texts.join('');
    batch.texts = [];
    try {
      this.#worker.postMessage(batch);
    } catch {
      // A value structured cloning cannot carry (a function or class instance in a provider payload):
      // serialize that batch here instead.
      for (let i = 0; i < batch.length; i++) describeInPlace(batch, i);
      for (const capture of batch.captures) capture.record = JSON.parse(toJsonText(capture.record));
      this.#worker.postMessage(batch);
    }
    this.#posted++;
  }

  /**
   * Backpressure: above the bound the application waits for the writer, at most STUCK_WRITER_MS. A writer
   * still behind after that is stuck: until it catches up, batches are dropped without waiting again.
   */
  #hasRoom(): boolean {
    const behind = () => this.#posted - Atomics.load(this.#handled, HANDLED) >= MAX_QUEUED_BATCHES;
    if (!behind()) return !(this.#stuck = false);
    if (this.#stuck) return false;
    const deadline = performance.now() + STUCK_WRITER_MS;
    while (behind()) {
      const left = deadline - performance.now();
      if (left <= 0) return !(this.#stuck = true);
      Atomics.wait(this.#handled, HANDLED, Atomics.load(this.#handled, HANDLED), left);
    }
    return true;
  }

  /** A batch the stuck writer cannot take: its events become gaps; its runs' creation and ends wait for the next. */
  #dropAsGap(batch: WriterBatch): void {
    const next = this.#batch;
    const ranges = new Map<number, { fromSeq: number; toSeq: number }>();
    for (let i = 0; i < batch.length; i++) {
      const slot = batch.slots[i]!;
      const seq = batch.seqs[i]!;
      const range = ranges.get(slot);
      if (!range) ranges.set(slot, { fromSeq: seq, toSeq: seq });
      else range.toSeq = seq;
    }
    next.creates.unshift(...batch.creates);
    next.gaps.unshift(...batch.gaps, ...[...ranges].map(([slot, range]) => ({ slot, ...range })));
    // What was captured is not an event: it waits for the next batch rather than becoming a gap.
    next.captures.unshift(...batch.captures);
    next.ends.unshift(...batch.ends);
    next.cancels.unshift(...batch.cancels);
    next.releaseHeld ||= batch.releaseHeld;
    this.#armTimer();
  }

  /**
   * On the way out: hand over what is buffered and wait, at most `timeoutMs`, for the writer to store it,
   * so `process.exit()` right after a run's loop still leaves the run stored whole.
   */
  flushSync(timeoutMs: number): void {
    const { length, creates, captures, ends, cancels } = this.#batch;
    // A run not ended yet may have streamed text the writer holds back for redaction: it is stored now.
    this.#batch.releaseHeld = true;
    if (length > 0 || creates.length > 0 || captures.length > 0 || ends.length > 0 || cancels.length > 0 || this.#runs.size > 0) this.#post();
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const handled = Atomics.load(this.#handled, HANDLED);
      const left = deadline - performance.now();
      if (handled >= this.#posted || left <= 0 || this.#dead) return;
      Atomics.wait(this.#handled, HANDLED, handled, left);
    }
  }

  /**
   * The writer may be inside SQLite (waiting for another process's lock): the process must not end under it
   * (see protocol.ts). Tells it to start no more calls, and waits for the one under way (a busy wait of
   * 100 ms at most).
   */
  #stopBeforeExit(): void {
    Atomics.store(this.#handled, EXITING, 1);
    const deadline = performance.now() + STUCK_WRITER_MS;
    while (Atomics.load(this.#handled, IN_SQLITE) === 1 && performance.now() < deadline) {
      Atomics.wait(this.#handled, IN_SQLITE, 1, deadline - performance.now());
    }
  }

  /**
   * Keeps the process alive until the writer has handled this run's end: for whoever awaits the recording
   * (otherwise an unref'd writer lets the process exit, and the exit hook flushes).
   */
  holdUntilEnded(slot: number): void {
    if (!this.#runs.has(slot) || this.#held.has(slot)) return;
    this.#held.add(slot);
    this.#worker.ref();
  }

  /** Whoever awaited this run's recording gave up on it: the writer no longer keeps the process alive for it. */
  release(slot: number): void {
    if (this.#held.delete(slot) && this.#held.size === 0) this.#worker.unref();
  }

  #onReport(report: WriterReport): void {
    const run = this.#runs.get(report.slot);
    if (!run) return;
    if (report.type === 'failed') return run.failed(report.message);
    this.#runs.delete(report.slot);
    if (this.#held.delete(report.slot) && this.#held.size === 0) this.#worker.unref();
    run.ended();
  }

  #die(reason: string): void {
    if (this.#dead) return;
    this.#dead = reason;
    for (const run of this.#runs.values()) {
      run.failed(reason);
      run.ended();
    }
    this.#runs.clear();
  }
}

/** A batch with nothing in it, in the typed columns of `reused` (a batch already handed over) when given. */
function emptyBatch(reused?: WriterBatch): WriterBatch {
  return {
    creates: [],
    length: 0,
    slots: reused?.slots ?? new Int32Array(BATCH_SIZE),
    seqs: reused?.seqs ?? new Int32Array(BATCH_SIZE),
    tUs: reused?.tUs ?? new Float64Array(BATCH_SIZE),
    kinds: reused?.kinds ?? new Uint8Array(BATCH_SIZE),
    values: [],
    text: '',
    texts: [],
    textLengths: reused?.textLengths ?? new Int32Array(BATCH_SIZE),
    gaps: [],
    captures: [],
    ends: [],
    cancels: [],
    releaseHeld: false,
  };
}
