import type { CaptureKind } from '../../capture/types.js';
import type { NewRun, RunEnd } from '../../store/types.js';

/**
 * What the application's thread sends the writer thread. Events travel in columns (one entry per event);
 * runs are named by a small slot number, so an event carries no strings but its own.
 */
export interface WriterBatch {
  /**
   * Runs to create, before any event of the batch is written. A run resumed from a RunState names the
   * tool calls it was interrupted at; the writer links it to the run that stopped there.
   */
  creates: { slot: number; run: NewRun; resumesCallIds: string[] }[];
  length: number;
  slots: Int32Array;
  seqs: Int32Array;
  /** Microseconds from the run's start, unrounded. */
  tUs: Float64Array;
  kinds: Uint8Array;
  values: unknown[];
  /** The batch's text deltas, joined (filled in as the batch is handed over; `texts` is then emptied). */
  text: string;
  texts: string[];
  /** Each text delta's length in `text`, at its event's index. */
  textLengths: Int32Array;
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
}

/** What the writer thread tells the application's thread. */
export type WriterReport =
  /** The run's end is stored (or will never be): whoever awaits the recording can go on. */
  | { type: 'ended'; slot: number }
  /** Writing this run failed; later events of it are dropped, so the stored ones stay a gap-free prefix. */
  | { type: 'failed'; slot: number; runId: string; message: string };

export interface WriterInit {
  path: string;
  /** Int32Array over it: [0] batches handled by the writer, for backpressure and the exit flush. */
  handled: SharedArrayBuffer;
}
