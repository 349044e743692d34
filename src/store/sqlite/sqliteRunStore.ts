import { eventsInWindows } from '../eventWindows.js';
import type { CaptureKind, CaptureRecords } from '../../capture/types.js';
import type { EventRange, EventWindow, OpenOptions, RunCaptures, RunStore } from '../runStore.js';
import type { AgentRecord, NewRun, RunEnd, RunFilter, RunRecord, StoredEvent } from '../types.js';
import { HEARTBEAT_INTERVAL_MS } from '../runLiveness.js';
import { BLOCK_EVENTS } from './eventBlockTable.js';
import { SqliteEngine } from './sqliteEngine.js';

/** Events per transaction while importing: a full block each, a bound on what an import holds in memory and on how long it holds the lock. */
const IMPORT_BATCH = BLOCK_EVENTS;

/**
 * The embedded backend: a RunStore over one SQLite file. Each call runs the synchronous engine and settles
 * with its answer; an error becomes a rejection, as it would from a server.
 */
export class SqliteRunStore implements RunStore {
  private constructor(readonly engine: SqliteEngine) {}

  static open(path: string, options: OpenOptions = {}): SqliteRunStore {
    return new SqliteRunStore(SqliteEngine.open(path, options));
  }

  get location(): string {
    return this.engine.path;
  }

  async createRun(run: NewRun): Promise<void> {
    this.engine.createRun(run);
  }

  async appendEvents(runId: string, events: readonly StoredEvent[]): Promise<void> {
    this.engine.appendEvents(runId, events);
  }

  async finishRun(runId: string, end: RunEnd): Promise<void> {
    this.engine.finishRun(runId, end);
  }

  async markPartial(runId: string, reason: string): Promise<void> {
    this.engine.markPartial(runId, reason);
  }

  /**
   * Staged (see stagedImports.ts): the run's row first, then its events a batch per transaction, each written
   * as soon as it is read, so no transaction waits on the input; then one short transaction publishes it.
   * Until then no reader sees it; when reading or writing fails, what was staged is removed.
   */
  async importRun(run: RunRecord, agents: readonly AgentRecord[], events: AsyncIterable<StoredEvent>, captures?: () => RunCaptures): Promise<void> {
    this.engine.stageImportedRun(run, agents);
    // Input that is slow to come (a pipe) must not make the import look abandoned.
    const alive = setInterval(() => attempt(() => this.engine.touchImport(run.id)), HEARTBEAT_INTERVAL_MS).unref();
    try {
      let batch: StoredEvent[] = [];
      for await (const event of events) {
        batch.push(event);
        if (batch.length >= IMPORT_BATCH) {
          this.engine.appendStagedEvents(run.id, batch);
          batch = [];
        }
      }
      this.engine.appendStagedEvents(run.id, batch);
      this.engine.appendStagedCaptures(run.id, captures?.() ?? {});
      this.engine.publishImport(run.id);
    } catch (error) {
      // A removal that fails too (the disk full) leaves the run staged, invisible: the next import removes it.
      attempt(() => this.engine.discardImport(run.id));
      throw error;
    } finally {
      clearInterval(alive);
    }
  }

  async deleteRun(runId: string): Promise<void> {
    this.engine.deleteRun(runId);
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    return this.engine.getRun(runId);
  }

  async runSnapshot(runId: string): Promise<{ run: RunRecord; lastSeq: number } | undefined> {
    return this.engine.runSnapshot(runId);
  }

  async resolveRun(ref: string): Promise<RunRecord> {
    return this.engine.resolveRun(ref);
  }

  async listRuns(filter?: RunFilter): Promise<RunRecord[]> {
    return this.engine.listRuns(filter);
  }

  async agents(runId: string): Promise<AgentRecord[]> {
    return this.engine.agents(runId);
  }

  async readEvents(runId: string, window: EventWindow): Promise<StoredEvent[]> {
    return this.engine.readEvents(runId, window);
  }

  iterateEvents(runId: string, options?: EventRange): AsyncGenerator<StoredEvent> {
    return eventsInWindows((window) => this.readEvents(runId, window), options);
  }

  async seqAtTime(runId: string, tUs: number): Promise<number | undefined> {
    return this.engine.seqAtTime(runId, tUs);
  }

  async captures<K extends CaptureKind>(runId: string, kind: K): Promise<CaptureRecords[K][]> {
    return (this.engine.captures(runId, [kind])[kind] ?? []) as CaptureRecords[K][];
  }

  async capturesOfKinds(runId: string, kinds: readonly CaptureKind[]): Promise<RunCaptures> {
    return this.engine.captures(runId, kinds);
  }

  async lastSeq(runId: string): Promise<number> {
    return this.engine.lastSeq(runId);
  }

  async close(): Promise<void> {
    this.engine.close();
  }
}

function attempt(fn: () => void): void {
  try {
    fn();
  } catch {
    // Best effort; see the caller.
  }
}
