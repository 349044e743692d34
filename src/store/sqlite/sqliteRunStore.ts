import { eventsInWindows } from '../eventWindows.js';
import type { CaptureKind, CaptureRecords } from '../../capture/types.js';
import type { EventFilter, EventWindow, OpenOptions, RunCaptures, RunStore } from '../runStore.js';
import type { AgentRecord, NewRun, RunEnd, RunFilter, RunRecord, StoredEvent } from '../types.js';
import { BLOCK_EVENTS } from './eventBlockTable.js';
import { SqliteEngine } from './sqliteEngine.js';

/** Events per insert while importing: a full block each, and a bound on what an import holds in memory. */
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

  /** One write transaction around the whole import. On one connection, other calls meanwhile would join it: nothing else runs during an import. */
  async importRun(run: RunRecord, agents: readonly AgentRecord[], events: AsyncIterable<StoredEvent>, captures?: () => RunCaptures): Promise<void> {
    await this.engine.transaction(async () => {
      this.engine.insertImportedRun(run, agents);
      let batch: StoredEvent[] = [];
      for await (const event of events) {
        batch.push(event);
        if (batch.length >= IMPORT_BATCH) {
          this.engine.appendEvents(run.id, batch);
          batch = [];
        }
      }
      this.engine.appendEvents(run.id, batch);
      for (const [kind, records] of Object.entries(captures?.() ?? {}) as [CaptureKind, readonly unknown[]][]) {
        for (const record of records) this.engine.appendCapture(run.id, kind, record);
      }
    });
  }

  async deleteRun(runId: string): Promise<void> {
    this.engine.deleteRun(runId);
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    return this.engine.getRun(runId);
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

  iterateEvents(runId: string, options?: { fromSeq?: number; filter?: EventFilter; windowSize?: number }): AsyncGenerator<StoredEvent> {
    return eventsInWindows((window) => this.readEvents(runId, window), options);
  }

  async seqAtTime(runId: string, tUs: number): Promise<number | undefined> {
    return this.engine.seqAtTime(runId, tUs);
  }

  async captures<K extends CaptureKind>(runId: string, kind: K): Promise<CaptureRecords[K][]> {
    return this.engine.captures(runId, kind);
  }

  async lastSeq(runId: string): Promise<number> {
    return this.engine.lastSeq(runId);
  }

  async close(): Promise<void> {
    this.engine.close();
  }
}
