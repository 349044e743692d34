import { Worker } from 'node:worker_threads';
import type { RunStreamEvent } from '@openai/agents';
import type { CaptureKind } from '../../capture/types.js';
import { errorMessage } from '../../errors.js';
import type { RedactionSpec } from '../../redaction/options.js';
import { SqliteEngine } from '../../store/sqlite/sqliteEngine.js';
import type { NewRun, RunEnd } from '../../store/types.js';
import { BatchHandover, STUCK_WRITER_MS, type PendingBatch } from './batchHandover.js';
import { writeCompactEvent, type EventKind } from './compactEvent.js';
import { EXITING, IN_SQLITE, SHARED_SLOTS, type WriterInit, type WriterReport } from './protocol.js';
import { startWriterWorker } from './startWorker.js';

export interface RunCallbacks {
  /** Writing this run failed (one call). */
  failed(message: string): void;
  /** The run's end was handled by the writer. */
  ended(): void;
}

/**
 * The application's side of the writer thread: one per process and database, shared by every run the
 * process records: the worker's life (its start, its end, the exit flush) and the runs it stores. The hot path
 * (`pushEvent`) only fills the columns of the batch being filled; batchHandover.ts decides when batches go.
 */
export class RecordingWriter {
  readonly #worker: Worker;
  readonly #handled: Int32Array;
  readonly #handover: BatchHandover;
  readonly #runs = new Map<number, RunCallbacks>();
  #nextSlot = 0;
  #dead: string | null = null;
  readonly #held = new Set<number>();

  private constructor(readonly path: string) {
    const handled = new SharedArrayBuffer(SHARED_SLOTS * Int32Array.BYTES_PER_ELEMENT);
    this.#handled = new Int32Array(handled);
    this.#handover = new BatchHandover(this.#handled, (batches) => this.#worker.postMessage(batches), () => this.#dead);
    const init: WriterInit = { path, handled, pages: this.#handover.pages.buffer };
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
    this.#handover.batch.creates.push({ slot, run, resumesCallIds, redaction });
    this.#handover.added();
    return slot;
  }

  /** The hot path: once per SDK event, on the application's thread. */
  pushEvent(slot: number, seq: number, tUs: number, event: RunStreamEvent): void {
    const batch = this.#handover.batch;
    const i = batch.length;
    // Counted once its compact form is written: an event that throws there leaves nothing half-written.
    writeCompactEvent(event, batch, i);
    batch.length = i + 1;
    this.#stamp(batch, i, slot, seq, tUs);
  }

  /** An event of the recorder's own (the starting agent), already in its compact form. */
  push(slot: number, seq: number, tUs: number, kind: EventKind, value: unknown): void {
    const batch = this.#handover.batch;
    const i = batch.length++;
    batch.kinds[i] = kind;
    batch.values[i] = value;
    this.#stamp(batch, i, slot, seq, tUs);
  }

  #stamp(batch: PendingBatch, i: number, slot: number, seq: number, tUs: number): void {
    batch.slots[i] = slot;
    batch.seqs[i] = seq;
    batch.tUs[i] = tUs;
    if (i === 0) this.#handover.added();
    this.#handover.filled(i);
  }

  /** A capture module's record (once per model call, handoff, tool call ...): not the hot path. */
  pushCapture(slot: number, kind: CaptureKind, record: unknown): void {
    this.#handover.batch.captures.push({ slot, kind, record });
    this.#handover.added();
  }

  endRun(slot: number, end: RunEnd): void {
    this.#handover.batch.ends.push({ slot, end });
    this.#handover.flush();
  }

  cancelEndedRun(runId: string, cancelledBy: 'signal' | 'consumer'): void {
    this.#handover.batch.cancels.push({ runId, cancelledBy });
    this.#handover.flush();
  }

  /**
   * On the way out: hand over what is buffered and wait, at most `timeoutMs`, for the writer to store it,
   * so `process.exit()` right after a run's loop still leaves the run stored whole.
   */
  flushSync(timeoutMs: number): void {
    // A run not ended yet may have streamed text the writer holds back for redaction: it is stored now.
    if (this.#runs.size > 0) this.#handover.batch.releaseHeld = true;
    this.#handover.flush();
    this.#handover.waitUntilHandled(timeoutMs);
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
    if (report.type === 'due') return this.#handover.sendIfDue();
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
