import { randomBytes } from 'node:crypto';
import type { CaptureKind, CaptureRecords } from '../capture/types.js';
import type { EventLevel } from '../events/levels.js';
import type { AgentRecord, NewRun, RunEnd, RunFilter, RunRecord, StoredEvent } from './types.js';

/** Which events a window read returns; every field narrows, none means all. */
export interface EventFilter {
  levels?: readonly EventLevel[];
  names?: readonly string[];
  agents?: readonly string[];
  /** Payload contains this text (ASCII case-insensitive): the inspector's search. */
  text?: string;
}

/** A window of a run's events: up to `limit` with seq >= fromSeq (or, `backward`, seq <= fromSeq, newest first). */
export interface EventWindow {
  fromSeq: number;
  limit: number;
  backward?: boolean;
  /**
   * Look no further than this seq (backward: no lower): bounds the work of a read whose filter may match nothing,
   * so a search can go through a large run in slices.
   */
  toSeq?: number;
  filter?: EventFilter;
}

/** A run's events from `fromSeq` (default 0) to `toSeq` (default: the last), that pass the filter, read in windows of `windowSize`. */
export interface EventRange {
  fromSeq?: number;
  toSeq?: number;
  filter?: EventFilter;
  windowSize?: number;
}

/** How long a command waits for another process's lock on the database before it says so. */
export const BUSY_TIMEOUT_MS = 5000;

export interface OpenOptions {
  /** Open for reading only; the store must exist. */
  readonly?: boolean;
  /** Open for writing, but only a store that exists (a command that changes runs creates no database). */
  mustExist?: boolean;
  /** How long a writer waits for another writer's lock before giving up. */
  busyTimeoutMs?: number;
}

/** What was captured of a run beyond its events, by kind, each in the order captured, items in place. */
export type RunCaptures = { [K in CaptureKind]?: readonly CaptureRecords[K][] };

/**
 * Random bytes for run ids, drawn ahead: each draw from `crypto` is an async resource (even a synchronous one), and
 * a recorder that made one as each run starts would slow every promise of a process that makes no other kind
 * (batchHandover.ts says why). Drawn when this module loads, then once every RUN_IDS_AHEAD runs.
 */
const RUN_IDS_AHEAD = 256;
let runIdBytes = randomBytes(8 * RUN_IDS_AHEAD);
let runIdsUsed = 0;

export function newRunId(): string {
  if (runIdsUsed === RUN_IDS_AHEAD) (runIdBytes = randomBytes(8 * RUN_IDS_AHEAD)), (runIdsUsed = 0);
  return runIdBytes.toString('hex', 8 * runIdsUsed, 8 * ++runIdsUsed);
}

/**
 * The recordings store, whichever backend holds it (an embedded SQLite file today; a shared server can be
 * another). Every call is asynchronous, so a backend may answer over a network. Reads page by seq ranges of
 * one run, never by offset: a window of a million-event run costs what one of a small run does, and a caller
 * that shows a window reads only that window. Errors a person can act on are RuntapeErrors naming the store.
 */
export interface RunStore {
  /** Where the recordings are, for messages: a file path, or a server's address without credentials. */
  readonly location: string;

  // ---- writing -------------------------------------------------------------------------------------

  createRun(run: NewRun): Promise<void>;
  /** Appends a batch, all of it or none; the run's event count moves with it, so readers never see half a batch. */
  appendEvents(runId: string, events: readonly StoredEvent[]): Promise<void>;
  finishRun(runId: string, end: RunEnd): Promise<void>;
  /** Records that the store failed during the run, so nobody mistakes the stored events for all of them. */
  markPartial(runId: string, reason: string): Promise<void>;
  /**
   * Adds a whole run (an exported one) with its agent graph, events and captures, all or nothing: no reader
   * sees it before it is whole, and when reading `events` fails (a malformed line) or the store does, nothing
   * of the run is kept. Other writers are not held up for the whole import. Refuses a run id already stored.
   * `captures` is read once `events` is done (an export carries them after the events).
   */
  importRun(run: RunRecord, agents: readonly AgentRecord[], events: AsyncIterable<StoredEvent>, captures?: () => RunCaptures): Promise<void>;
  deleteRun(runId: string): Promise<void>;

  // ---- reading -------------------------------------------------------------------------------------

  getRun(runId: string): Promise<RunRecord | undefined>;
  /**
   * A run as it stands at one moment, with the last seq stored then (-1: none), read together: its events up
   * to that seq are exactly `eventCount`, however many its recorder adds meanwhile (an export agrees with itself).
   */
  runSnapshot(runId: string): Promise<{ run: RunRecord; lastSeq: number } | undefined>;
  /** A run named by full id, unique id prefix, or `last` (the most recently started). */
  resolveRun(ref: string): Promise<RunRecord>;
  /** Runs, newest first. */
  listRuns(filter?: RunFilter): Promise<RunRecord[]>;
  /** The agent graph as it was at the run's start. */
  agents(runId: string): Promise<AgentRecord[]>;
  /** One window of events that pass the filter: cost follows the window, not the run. */
  readEvents(runId: string, window: EventWindow): Promise<StoredEvent[]>;
  /** Every event of a run in seq order, read in windows so a large run never sits in memory whole. */
  iterateEvents(runId: string, options?: EventRange): AsyncGenerator<StoredEvent>;
  /** The seq of the first event at or after a time offset (µs); undefined when every event is earlier. */
  seqAtTime(runId: string, tUs: number): Promise<number | undefined>;
  /**
   * What the recorder captured of a run beyond its events, of one kind (model calls, handoffs, ...), in the
   * order captured, each stored item back in place. Empty when nothing was captured (see `RunRecord.captured`).
   */
  captures<K extends CaptureKind>(runId: string, kind: K): Promise<CaptureRecords[K][]>;
  /** The same, for several kinds at once (a run's captures are read whole: one read serves them all). */
  capturesOfKinds(runId: string, kinds: readonly CaptureKind[]): Promise<RunCaptures>;
  /** The highest seq stored for a run (-1 when it has none yet). */
  lastSeq(runId: string): Promise<number>;

  close(): Promise<void>;
}
