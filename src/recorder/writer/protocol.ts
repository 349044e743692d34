import type { CaptureKind } from '../../capture/types.js';
import type { RedactionSpec } from '../../redaction/options.js';
import type { NewRun, RunEnd } from '../../store/types.js';

/**
 * What the application's thread sends the writer thread, one or more at a time. Events travel in columns (one entry per event): their
 * numbers in a page of memory both threads share (batchPages.ts), the rest in the message; runs are named by
 * a small slot number, so an event carries no strings but its own.
 */
export interface WriterBatch {
  /**
   * Runs to create, before any event of the batch is written. A run resumed from a RunState names the
   * tool calls it was interrupted at; the writer links it to the run that stopped there. Its redaction
   * travels with it: runs of one process may redact differently, and the writer redacts each run by its own.
   */
  creates: { slot: number; run: NewRun; resumesCallIds: string[]; redaction: RedactionSpec }[];
  length: number;
  /** The shared page that holds the events' numeric columns (slot, seq, time, kind, text length). */
  page: number;
  /** Each event's compact value (compactEvent.ts), at its index; a text delta has none. */
  values: unknown[];
  /** The batch's text deltas, joined (each one's length is in its page's column). */
  text: string;
  /** Events lost while the writer was stuck or dead: written once the writer can take them. */
  gaps: { slot: number; fromSeq: number; toSeq: number }[];
  /**
   * What capture modules saw (model calls, handoff filters, ...), in the order they saw it, written after the
   * batch's events: plain JSON-able records; the writer stores each distinct input item once per run.
   */
  captures: { slot: number; kind: CaptureKind; record: unknown }[];
  /** Runs that ended, written after the batch's events and captures. */
  ends: { slot: number; end: RunEnd }[];
  /**
   * Runs the application cancelled after their end was recorded: breaking out of the loop, or cancelling the
   * stream, marks a result cancelled even once the model has finished (the SDK's own rule).
   */
  cancels: { runId: string; cancelledBy: 'signal' | 'consumer' }[];
  /** The process is exiting: the streamed text the writer holds back for redaction is stored now. */
  releaseHeld: boolean;
}

/** What the writer thread tells the application's thread. */
export type WriterReport =
  /** The run's end is stored (or will never be): whoever awaits the recording can go on. */
  | { type: 'ended'; slot: number }
  /** The writer is idle and something has waited on the application's thread for a while, and the DUE flag went unread: send it. */
  | { type: 'due' }
  /** Writing this run failed; later events of it are dropped, so the stored ones stay a gap-free prefix. */
  | { type: 'failed'; slot: number; runId: string; message: string };

export interface WriterInit {
  path: string;
  /** The batches' shared pages (batchPages.ts). */
  pages: SharedArrayBuffer;
  /**
   * Int32Array over it: [HANDLED] batches handled by the writer, for backpressure and the exit flush;
   * [EXITING] set by the application's thread when the process exits; [IN_SQLITE] 1 while the writer is
   * inside SQLite. A thread torn down in the middle of a SQLite call (a busy wait) aborts the whole process
   * (better-sqlite3 cannot throw in a dying thread), so the process waits for the call to return, and the
   * writer makes no other once EXITING is set. [UNSENT] non-zero while something waits on the application's
   * thread to be sent (batchHandover.ts), a new number each time; [DUE] set by the writer once it has waited long
   * enough, cleared when it is sent (the writer asks with a message only when the flag goes unread: 'due').
   */
  handled: SharedArrayBuffer;
}

/**
 * How long what waits on the application's thread may wait, the writer idle, before the writer raises the DUE
 * flag, which the stream's next event reads (writerWorker.ts). Each hand-over costs the writer a transaction,
 * and its work competes with the application's: in a stream paced by 1 ms timers (2,000 deltas, 16 alternating
 * pairs of processes) recording cost 2.1% with 20 ms and 1.2% with 50.
 */
export const BATCH_DELAY_MS = 50;
/**
 * How much longer the flag may go unread (no event came: the application is idle) before the writer asks for what
 * waits by message. The longest an event waits on the application's thread, the writer idle, is both: part of
 * what a crash loses.
 */
export const IDLE_ASK_MS = 20;

/** Indexes in WriterInit.handled. */
export const HANDLED = 0;
export const EXITING = 1;
export const IN_SQLITE = 2;
export const UNSENT = 3;
export const DUE = 4;
/** The Int32 slots of WriterInit.handled. */
export const SHARED_SLOTS = 5;
