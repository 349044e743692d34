import type Database from 'better-sqlite3';
import { RuntapeError } from '../../errors.js';
import { toJsonText, type ErrorRecord } from '../../events/serialize.js';
import type { EventWindow, OpenOptions, RunCaptures } from '../runStore.js';
import { THIS_HOST, effectiveStatus } from '../runLiveness.js';
import type { AgentRecord, NewRun, RunEnd, RunFilter, RunRecord, RunStatus, StoredEvent } from '../types.js';
import { openDatabase } from './database.js';
import { discardStaged, markStaged, publishStaged, sweepAbandoned, touchStaged } from './stagedImports.js';
import type { CaptureKind } from '../../capture/types.js';
import { AgentGraphTable, RUNS_WITH_AGENT_NAMED } from './agentGraphTable.js';
import { CaptureTable } from './captureTable.js';
import { EventBlockTable } from './eventBlockTable.js';
import { agentFromRow, runFromRow, type RunRow } from './rows.js';
import { explainSqliteError } from './sqliteErrors.js';
import { eventColumnsOf, type EventColumnsToStore, type EventToStore } from '../../events/storedEvent.js';

/**
 * A recordings database file, synchronously (better-sqlite3): the engine under the async SqliteRunStore, and
 * usable on its own where blocking calls are wanted (a writer thread). One connection. Events are stored in
 * compressed blocks (EventBlockTable); all reads page by seq ranges on the (run, first seq) key, never OFFSET,
 * so a window of a million-event run costs the same as one of a small run.
 */
const TOOL_APPROVAL_REQUESTED = 'tool_approval_requested';

export class SqliteEngine {
  readonly #db: Database.Database;
  readonly #runPks = new Map<string, number>();
  readonly #events: EventBlockTable;
  readonly #agentGraphs: AgentGraphTable;
  readonly #captures: CaptureTable;

  private constructor(
    db: Database.Database,
    readonly path: string,
  ) {
    this.#db = db;
    this.#events = new EventBlockTable(db);
    this.#agentGraphs = new AgentGraphTable(db);
    this.#captures = new CaptureTable(db, this.#agentGraphs);
  }

  /** Opens (creating when writable) the database at `path`, a resolved file path. */
  static open(path: string, options: OpenOptions = {}): SqliteEngine {
    return new SqliteEngine(openDatabase(path, options), path);
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }

  /** Runs `fn`, turning SQLite's errors into one-line RuntapeErrors that name this database. */
  #guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw explainSqliteError(error, this.path);
    }
  }

  // ---- writing -------------------------------------------------------------------------------------

  createRun(run: NewRun): void {
    this.#guard(() =>
      this.#db
        .transaction(() => {
          const { pk } = this.#db
            .prepare(
              `INSERT INTO runs (id, name, status, started_at, starting_agent, last_agent, input, sdk_version, tags, metadata, resumed_from, parent_run_id, parent_call_id, captured, host, pid, heartbeat_at)
               VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING pk`,
            )
            .get(
              run.id,
              run.name,
              run.startedAt,
              run.startingAgent,
              run.startingAgent,
              toJsonText(run.input),
              run.sdkVersion,
              JSON.stringify(run.tags),
              toJsonText(run.metadata),
              run.resumedFrom ?? null,
              run.parentRunId ?? null,
              run.parentCallId ?? null,
              run.captured ? 1 : 0,
              THIS_HOST,
              process.pid,
              Date.now(),
            ) as { pk: number };
          this.#runPks.set(run.id, pk);
          this.#agentGraphs.insert(pk, run.agents);
        })
        .immediate(),
    );
  }

  /** The recorder's writer is alive and still recording these runs (see runLiveness.ts). One short write. */
  heartbeat(runIds: readonly string[]): void {
    if (runIds.length === 0) return;
    const pks = runIds.map((id) => this.#pkOf(id));
    this.#guard(() =>
      this.#db.prepare(`UPDATE runs SET heartbeat_at = ? WHERE pk IN (${pks.map(() => '?').join(', ')})`).run(Date.now(), ...pks),
    );
  }

  /** Appends a batch in one transaction; the run's event count moves with it, so readers never see half a batch. */
  appendEvents(runId: string, events: readonly EventToStore[]): void {
    this.appendEventColumns(runId, eventColumnsOf(events));
  }

  /** appendEvents for a batch already in columns: the recorder's writer's. */
  appendEventColumns(runId: string, events: EventColumnsToStore): void {
    if (events.length === 0) return;
    const pk = this.#pkOf(runId);
    this.#guard(() => {
      this.#appendBatch ??= this.#prepareAppend();
      this.#appendBatch.immediate(pk, events);
    });
  }

  /** Prepared once per store: the recorder's hot write path, a block per batch (eventBlockTable.ts). */
  #appendBatch: Database.Transaction<(pk: number, events: EventColumnsToStore) => void> | undefined;
  #prepareAppend(): Database.Transaction<(pk: number, events: EventColumnsToStore) => void> {
    const count = this.#db.prepare(`UPDATE runs SET event_count = event_count + ? WHERE pk = ?`);
    const interruption = this.#db.prepare(
      `INSERT OR REPLACE INTO interruptions (call_id, run_pk) SELECT json_extract(?, '$.item.rawItem.callId'), ? WHERE json_extract(?, '$.item.rawItem.callId') IS NOT NULL`,
    );
    return this.#db.transaction((pk: number, events: EventColumnsToStore) => {
      this.#events.append(pk, events);
      count.run(events.length, pk);
      for (let i = 0; i < events.length; i++) {
        const payload = events.payloads[i]!;
        if (events.names[i] === TOOL_APPROVAL_REQUESTED && payload !== null) interruption.run(payload, pk, payload);
      }
    });
  }

  /** An imported run's captures are all there: they move into their archive, as a recorded run's do when it ends. */
  archiveCaptures(runId: string): void {
    const pk = this.#pkOf(runId);
    this.#guard(() => this.#captures.archive(pk));
  }

  /** Stores what a capture module saw, in the caller's transaction (the writer's batch). */
  appendCapture(runId: string, kind: CaptureKind, record: unknown): void {
    const pk = this.#pkOf(runId);
    this.#guard(() => this.#captures.append(pk, kind, record));
  }

  /** Stores the run's end, and merges the small blocks its last batches left. */
  finishRun(runId: string, end: RunEnd): void {
    const pk = this.#pkOf(runId);
    this.#guard(() =>
      this.#db
        .transaction(() => {
          this.#events.mergeSmallTail(pk);
          this.#captures.archive(pk);
          this.#db
            .prepare(
              `UPDATE runs SET status = ?, duration_us = ?, last_agent = ?, final_output = ?, error_name = ?, error_message = ?,
                 error_stack = ?, error_details = ?, usage = ?, cancelled_by = ?, run_state = ? WHERE pk = ?`,
            )
            .run(
              end.status,
              end.durationUs,
              end.lastAgent,
              end.finalOutput === undefined ? null : toJsonText(end.finalOutput),
              end.error?.name ?? null,
              end.error?.message ?? null,
              end.error?.stack ?? null,
              errorDetailsJson(end.error),
              end.usage === undefined ? null : toJsonText(end.usage),
              end.cancelledBy ?? null,
              end.runState ?? null,
              pk,
            );
        })
        .immediate(),
    );
  }

  /** Records that the store failed during the run, so nobody mistakes the stored events for all of them. */
  markPartial(runId: string, reason: string): void {
    const pk = this.#pkOf(runId);
    this.#guard(() => this.#db.prepare(`UPDATE runs SET recording = 'partial', recording_error = ? WHERE pk = ?`).run(reason, pk));
  }

  /** A run whose consumer cancelled it after its end was stored (the SDK then reports it cancelled too). */
  markCancelled(runId: string, cancelledBy: 'signal' | 'consumer'): void {
    const pk = this.#pkOf(runId);
    this.#guard(() => this.#db.prepare(`UPDATE runs SET status = 'cancelled', cancelled_by = ? WHERE pk = ?`).run(cancelledBy, pk));
  }

  /** Records events the recorder lost (its writer stuck or dead): they show as a gap, never silently missing. */
  addGap(runId: string, fromSeq: number, toSeq: number): void {
    const pk = this.#pkOf(runId);
    this.#guard(() =>
      this.#db
        .prepare(`UPDATE runs SET gaps = json_insert(gaps, '$[#]', json_object('fromSeq', ?, 'toSeq', ?)) WHERE pk = ?`)
        .run(fromSeq, toSeq, pk),
    );
  }

  /** The run that stopped for approval at one of these tool call ids: the run a resumed run continues. */
  runInterruptedAt(callIds: readonly string[]): string | null {
    if (callIds.length === 0) return null;
    const row = this.#guard(() =>
      this.#db
        .prepare(`SELECT runs.id FROM interruptions JOIN published_runs AS runs ON runs.pk = interruptions.run_pk WHERE call_id IN (${callIds.map(() => '?').join(', ')}) LIMIT 1`)
        .get(...callIds),
    ) as { id: string } | undefined;
    return row?.id ?? null;
  }

  /** Runs `fn` in one write transaction, synchronously: the recorder's writer stores a batch whole or not at all. */
  writeTransaction(fn: () => void): void {
    this.#guard(() => this.#db.transaction(fn).immediate());
  }

  deleteRun(runId: string): void {
    const pk = this.#pkOf(runId);
    this.#guard(() => this.#db.prepare(`DELETE FROM runs WHERE pk = ?`).run(pk));
    this.#runPks.delete(runId);
    this.#events.forget();
    this.#captures.forget();
  }

  // ---- importing (stagedImports.ts): staged in bounded transactions, published in one short one ----

  /**
   * Adds an exported run's row and agent graph, staged: invisible to readers until publishImport. Removes
   * first what imports whose process died left staged. Refuses a run id already stored (or being imported).
   */
  stageImportedRun(run: RunRecord, agents: readonly AgentRecord[]): void {
    this.#guard(() => {
      sweepAbandoned(this.#db);
      this.#db
        .transaction(() => {
          if (this.#db.prepare(`SELECT 1 FROM runs WHERE id = ?`).get(run.id)) {
            throw new RuntapeError(`run ${run.id} is already in ${this.path}; remove it first (runtape rm ${run.id})`);
          }
          const { pk } = this.#db
            .prepare(
              `INSERT INTO runs (id, name, status, started_at, duration_us, starting_agent, last_agent, input, final_output,
                 error_name, error_message, error_stack, usage, sdk_version, tags, metadata, event_count, recording, recording_error, gaps, cancelled_by, error_details, run_state, resumed_from, parent_run_id, parent_call_id, captured, host, pid)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING pk`,
            )
            .get(
              run.id,
              run.name,
              run.status,
              run.startedAt,
              run.durationUs,
              run.startingAgent,
              run.lastAgent,
              toJsonText(run.input),
              toJsonText(run.finalOutput),
              run.error?.name ?? null,
              run.error?.message ?? null,
              run.error?.stack ?? null,
              toJsonText(run.usage),
              run.sdkVersion,
              JSON.stringify(run.tags),
              toJsonText(run.metadata),
              run.recording,
              run.recordingError,
              JSON.stringify(run.gaps ?? []),
              run.cancelledBy ?? null,
              errorDetailsJson(run.error),
              run.runState ?? null,
              run.resumedFrom ?? null,
              run.parentRunId ?? null,
              run.parentCallId ?? null,
              run.captured ? 1 : 0,
              run.host,
              run.pid,
            ) as { pk: number };
          this.#runPks.set(run.id, pk);
          this.#agentGraphs.insert(pk, agents);
          markStaged(this.#db, pk);
        })
        .immediate();
    });
  }

  /** One batch of a staged run's events, in a transaction of its own: a recorder waits for one batch at most. */
  appendStagedEvents(runId: string, events: readonly StoredEvent[]): void {
    const pk = this.#pkOf(runId);
    this.#guard(() =>
      this.#db
        .transaction(() => {
          touchStaged(this.#db, pk);
          this.appendEvents(runId, events);
        })
        .immediate(),
    );
  }

  /** A staged run's captures, then their archive, in one transaction of their own (an export carries them after the events). */
  appendStagedCaptures(runId: string, captures: RunCaptures): void {
    const pk = this.#pkOf(runId);
    this.#guard(() =>
      this.#db
        .transaction(() => {
          touchStaged(this.#db, pk);
          for (const [kind, records] of Object.entries(captures) as [CaptureKind, readonly unknown[]][]) {
            for (const record of records) this.#captures.append(pk, kind, record);
          }
          this.#captures.archive(pk);
        })
        .immediate(),
    );
  }

  /** The staged import is still alive (its input may be slow to come). */
  touchImport(runId: string): void {
    const pk = this.#pkOf(runId);
    this.#guard(() => touchStaged(this.#db, pk));
  }

  /** Makes a staged run visible, whole: one short transaction. */
  publishImport(runId: string): void {
    const pk = this.#pkOf(runId);
    this.#guard(() => publishStaged(this.#db, pk));
  }

  /** Removes a staged run (its import failed), in bounded transactions. */
  discardImport(runId: string): void {
    const pk = this.#pkOf(runId);
    this.#runPks.delete(runId);
    this.#events.forget();
    this.#guard(() => discardStaged(this.#db, pk));
  }

  // ---- reading -------------------------------------------------------------------------------------

  #pkOf(runId: string): number {
    let pk = this.#runPks.get(runId);
    if (pk === undefined) {
      const row = this.#guard(() => this.#db.prepare(`SELECT pk FROM runs WHERE id = ?`).get(runId)) as { pk: number } | undefined;
      if (!row) throw new RuntapeError(`no run ${runId} in ${this.path}`);
      pk = row.pk;
      this.#runPks.set(runId, pk);
    }
    return pk;
  }

  getRun(runId: string): RunRecord | undefined {
    const row = this.#guard(() => this.#db.prepare(`SELECT * FROM published_runs WHERE id = ?`).get(runId)) as RunRow | undefined;
    return row && runFromRow(row, statusOf(row));
  }

  /** The run and its last stored seq, in one read transaction (see RunStore.runSnapshot). */
  runSnapshot(runId: string): { run: RunRecord; lastSeq: number } | undefined {
    return this.#guard(() =>
      this.#snapshot(() => {
        const run = this.getRun(runId);
        return run && { run, lastSeq: this.#events.lastSeq(this.#pkOf(runId)) };
      }),
    );
  }

  /** A run named by full id, unique id prefix, or `last` (the most recently started). */
  resolveRun(ref: string): RunRecord {
    const wanted = ref.trim();
    if (wanted === '') throw new RuntapeError('no run given');
    if (wanted === 'last') {
      const row = this.#guard(() => this.#db.prepare(`SELECT * FROM published_runs ORDER BY started_at DESC, pk DESC LIMIT 1`).get()) as
        | RunRow
        | undefined;
      if (!row) throw new RuntapeError(`no runs recorded yet in ${this.path}`);
      return runFromRow(row, statusOf(row));
    }
    if (!/^[0-9a-f]+$/i.test(wanted)) throw new RuntapeError(`no run "${wanted}" in ${this.path} (run ids are hex; see runtape ls)`);
    const rows = this.#guard(() =>
      this.#db.prepare(`SELECT * FROM published_runs WHERE id >= ? AND id < ? ORDER BY id LIMIT 6`).all(wanted.toLowerCase(), prefixEnd(wanted.toLowerCase())),
    ) as RunRow[];
    if (rows.length === 0) throw new RuntapeError(`no run "${wanted}" in ${this.path} (see runtape ls)`);
    const exact = rows.find((r) => r.id === wanted.toLowerCase());
    if (exact) return runFromRow(exact, statusOf(exact));
    if (rows.length > 1) {
      const shown = rows.slice(0, 5).map((r) => r.id).join(', ');
      throw new RuntapeError(`run id "${wanted}" is ambiguous: it matches ${shown}${rows.length > 5 ? ', …' : ''}`);
    }
    return runFromRow(rows[0]!, statusOf(rows[0]!));
  }

  listRuns(filter: RunFilter = {}): RunRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.since !== undefined) (where.push('started_at >= ?'), params.push(filter.since));
    if (filter.name !== undefined) (where.push(`instr(lower(coalesce(name, '')), lower(?)) > 0`), params.push(filter.name));
    if (filter.agent !== undefined) (where.push(`pk IN (${RUNS_WITH_AGENT_NAMED})`), params.push(filter.agent));
    if (filter.parentRunId !== undefined) (where.push('parent_run_id = ?'), params.push(filter.parentRunId));
    // Tags that are not a JSON list (a bad row) match no tag, rather than failing the whole list.
    if (filter.tag !== undefined) (where.push("CASE WHEN NOT json_valid(runs.tags) THEN 0 WHEN json_type(runs.tags) = 'array' THEN EXISTS (SELECT 1 FROM json_each(runs.tags) WHERE value = ?) ELSE 0 END"), params.push(filter.tag));
    // A recorder that died leaves 'running' in its row: whether such a run is running or incomplete is only
    // known once read, so those two are narrowed in SQL to 'running' and told apart here; every other filter,
    // and the limit, is SQL's.
    const livenessFilter = filter.status === 'running' || filter.status === 'incomplete';
    if (filter.status !== undefined) (where.push('status = ?'), params.push(livenessFilter ? 'running' : filter.status));
    const limit = filter.limit !== undefined && !livenessFilter ? ` LIMIT ${Math.floor(filter.limit)}` : '';
    const sql = `SELECT * FROM published_runs AS runs ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY started_at DESC, pk DESC${limit}`;
    const rows = this.#guard(() => this.#db.prepare(sql).all(...params)) as RunRow[];
    const runs = rows.map((row) => runFromRow(row, statusOf(row)));
    if (!livenessFilter) return runs;
    const matching = runs.filter((run) => run.status === filter.status);
    return filter.limit === undefined ? matching : matching.slice(0, filter.limit);
  }

  agents(runId: string): AgentRecord[] {
    const pk = this.#pkOf(runId);
    return this.#guard(() => this.#agentGraphs.read(pk)).map(agentFromRow);
  }

  /**
   * Up to `limit` events with seq >= fromSeq (or, with `backward`, seq <= fromSeq, newest first),
   * that pass the filter. A window read: cost follows the window, not the run.
   */
  readEvents(runId: string, window: EventWindow): StoredEvent[] {
    const pk = this.#pkOf(runId);
    return this.#guard(() => this.#snapshot(() => this.#events.read(pk, window)));
  }

  /** The first event at or after a time offset (for seeking by time): one indexed read and one block, whatever the run's size. */
  seqAtTime(runId: string, tUs: number): number | undefined {
    const pk = this.#pkOf(runId);
    return this.#guard(() => this.#snapshot(() => this.#events.seqAtTime(pk, tUs)));
  }

  /**
   * One read transaction around a read that takes several queries: a writer merging blocks meanwhile (in another
   * process) must not remove a block between the query that found it and the one that reads its data.
   */
  #snapshot<T>(read: () => T): T {
    return this.#db.transaction(read)();
  }

  /** Event blocks this connection has read and inflated: a read's cost, as tests and benchmarks count it. */
  get blocksRead(): number {
    return this.#events.blocksRead;
  }

  /** Capture archives this connection has decoded. */
  get archivesRead(): number {
    return this.#captures.archivesRead;
  }

  /** A run's captures of each of `kinds`, each in the order captured, their items in place. */
  captures(runId: string, kinds: readonly CaptureKind[]): RunCaptures {
    const pk = this.#pkOf(runId);
    return this.#guard(() => this.#snapshot(() => this.#captures.read(pk, kinds)));
  }

  /** The highest seq stored for a run (-1 when it has none yet). */
  lastSeq(runId: string): number {
    const pk = this.#pkOf(runId);
    return this.#guard(() => this.#events.lastSeq(pk));
  }
}

/** A run's status as readers see it: derived from its writer's liveness, never written (runLiveness.ts). */
function statusOf(row: RunRow): RunStatus {
  return effectiveStatus({ status: row.status, host: row.host, pid: row.pid, heartbeatAt: row.heartbeat_at });
}

/** The smallest string greater than every string that starts with `prefix` (hex ids only). */
function prefixEnd(prefix: string): string {
  return prefix + '\uffff';
}

/** What an error record has beyond the name, message and stack columns, as JSON (null when nothing). */
function errorDetailsJson(error: ErrorRecord | null): string | null {
  if (!error) return null;
  const { name: _name, message: _message, stack: _stack, ...details } = error;
  return Object.keys(details).length > 0 ? toJsonText(details) : null;
}
