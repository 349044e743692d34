import type Database from 'better-sqlite3';
import type { EventFilter, EventWindow } from '../runStore.js';
import { eventColumnsOf, type EventColumnsToStore } from '../../events/storedEvent.js';
import type { StoredEvent } from '../types.js';
import { decodeBlock, decodeBlockToStore, encodeBlock, levelBit, type EncodedBlock } from './eventBlock.js';

/**
 * The events a block aims at. Reading any event of a block inflates the whole block, so this bounds what a
 * window read costs (about half a millisecond) whatever the run's size; larger blocks compress only a little
 * better (measured: 9.8% of the JSON at 512 events, 8.6% at 4096). A batch larger than this (an import, a
 * migration) is split. A block written from fewer events is small: an application that produces events
 * slowly gets a block per batch of a few events, which compress poorly, so small blocks at a run's end are
 * merged once they add up to this many (and when the run ends). That merging costs the writer only when it
 * has time to spare (its batches are small exactly when it keeps up); a writer that falls behind writes full
 * batches (the recorder's are 512 events), which are never merged.
 */
export const BLOCK_EVENTS = 512;
/**
 * Blocks of fewer events are small: merged with the run's next ones. Larger ones compress about as well as a
 * full block and stay as they are: the recorder's batches arrive a little short of a block (redaction holds
 * back a response's last characters for the next batch), and merging each of them (inflating and compressing
 * the tail again) doubled what storing a fast stream cost the writer.
 */
const SMALL_BLOCK_EVENTS = BLOCK_EVENTS / 4;
/** Blocks read per query while filling a window: enough for most windows, few enough not to read ahead much. */
const BLOCKS_PER_QUERY = 8;
/** Decoded blocks kept per engine: an inspector stepping through a window must not inflate a block per key. */
const CACHED_BLOCKS = 16;

interface BlockRow {
  first_seq: number;
  last_seq: number;
  count: number;
  codec: number;
  bytes: number;
}

/** The small blocks a run's writer added last, not yet merged. */
interface SmallTail {
  firstSeq: number;
  blocks: number;
  events: number;
}

/**
 * A run's events in the `event_blocks` table (schema.ts; the block format is eventBlock.ts): writing them in
 * blocks, merging small ones, and windowed reads that touch only the blocks a window needs. Called inside the
 * engine's transactions; holds no transaction of its own.
 */
export class EventBlockTable {
  readonly #db: Database.Database;
  readonly #cache = new Map<string, StoredEvent[]>();
  readonly #smallTails = new Map<number, SmallTail>();
  readonly #insert: Database.Statement;
  #blocksRead = 0;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#insert = prepareBlockInsert(db);
  }

  /** Stores `events` (a batch, in seq order) as one block, or as several of equal size when it is larger than a block. */
  append(pk: number, events: EventColumnsToStore): void {
    if (events.length < SMALL_BLOCK_EVENTS) return this.#appendSmall(pk, events);
    this.mergeSmallTail(pk);
    const size = Math.ceil(events.length / Math.ceil(events.length / BLOCK_EVENTS));
    for (let i = 0; i < events.length; i += size) insertBlock(this.#insert, pk, encodeBlock(events, i, Math.min(i + size, events.length)));
  }

  #appendSmall(pk: number, events: EventColumnsToStore): void {
    insertBlock(this.#insert, pk, encodeBlock(events));
    const tail = this.#smallTails.get(pk) ?? { firstSeq: events.seqs[0]!, blocks: 0, events: 0 };
    tail.blocks++;
    tail.events += events.length;
    this.#smallTails.set(pk, tail);
    if (tail.events >= BLOCK_EVENTS) this.mergeSmallTail(pk);
  }

  /**
   * The small blocks at the run's end become one: when they add up to a full batch, when a full batch follows
   * them, and when the run ends. Merges whatever blocks start at or after the first small one, so a
   * rolled-back write leaves nothing wrong, at most blocks left small.
   */
  mergeSmallTail(pk: number): void {
    const tail = this.#smallTails.get(pk);
    this.#smallTails.delete(pk);
    if (!tail || tail.blocks < 2) return;
    const rows = this.#db
      .prepare(`SELECT first_seq, codec, data FROM event_blocks WHERE run_pk = ? AND first_seq >= ? ORDER BY first_seq`)
      .all(pk, tail.firstSeq) as { first_seq: number; codec: number; data: Buffer }[];
    const events = rows.flatMap((row) => decodeBlockToStore(row.first_seq, row.codec, row.data));
    this.#db.prepare(`DELETE FROM event_blocks WHERE run_pk = ? AND first_seq >= ?`).run(pk, tail.firstSeq);
    insertBlock(this.#insert, pk, encodeBlock(eventColumnsOf(events)));
  }

  /** Blocks read from the database and inflated so far (cached ones not counted): what a read really cost. */
  get blocksRead(): number {
    return this.#blocksRead;
  }

  /** Forgets what was cached (a run was deleted, or a transaction that wrote blocks rolled back). */
  forget(): void {
    this.#cache.clear();
    this.#smallTails.clear();
  }

  /**
   * Up to `limit` events with seq >= fromSeq (or, `backward`, seq <= fromSeq, newest first) that pass the
   * filter. Blocks whose summary cannot match are skipped in SQL; the rest are decoded (or taken from the
   * cache) and filtered event by event.
   */
  read(pk: number, window: EventWindow): StoredEvent[] {
    const backward = window.backward ?? false;
    const matches = eventMatcher(window.filter);
    const { where, params } = blockFilterSql(window.filter);
    const to = window.toSeq ?? (backward ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY);
    const bound = window.toSeq === undefined ? '' : backward ? ' AND last_seq >= @to' : ' AND first_seq <= @to';
    const page = this.#db.prepare(
      backward
        ? `SELECT first_seq, last_seq, count, codec, length(data) AS bytes FROM event_blocks
           WHERE run_pk = @pk AND first_seq <= @start${bound}${where} ORDER BY first_seq DESC LIMIT ${BLOCKS_PER_QUERY}`
        : `SELECT first_seq, last_seq, count, codec, length(data) AS bytes FROM event_blocks
           WHERE run_pk = @pk AND first_seq >= @start${bound}${where} ORDER BY first_seq LIMIT ${BLOCKS_PER_QUERY}`,
    );
    if (window.toSeq !== undefined) params.to = window.toSeq;
    const found: StoredEvent[] = [];
    // Forward, the first block is the one holding fromSeq, which starts at or before it.
    let start = backward ? window.fromSeq : this.#blockStartOf(pk, window.fromSeq);
    while (found.length < window.limit) {
      const rows = page.all({ pk, start, ...params }) as BlockRow[];
      for (const row of rows) {
        const events = this.#decoded(pk, row);
        if (backward) {
          for (let i = events.length - 1; i >= 0 && found.length < window.limit; i--) {
            const e = events[i]!;
            if (e.seq <= window.fromSeq && e.seq >= to && matches(e)) found.push(e);
          }
        } else {
          for (let i = 0; i < events.length && found.length < window.limit; i++) {
            const e = events[i]!;
            if (e.seq >= window.fromSeq && e.seq <= to && matches(e)) found.push(e);
          }
        }
        if (found.length >= window.limit) break;
      }
      if (rows.length < BLOCKS_PER_QUERY) break;
      start = backward ? rows[rows.length - 1]!.first_seq - 1 : rows[rows.length - 1]!.first_seq + 1;
    }
    return found;
  }

  /** The first seq of the block that holds `seq` (or would: `seq` itself when no block starts at or before it). */
  #blockStartOf(pk: number, seq: number): number {
    const first = this.#db
      .prepare(`SELECT first_seq FROM event_blocks WHERE run_pk = ? AND first_seq <= ? ORDER BY first_seq DESC LIMIT 1`)
      .pluck()
      .get(pk, seq) as number | undefined;
    return first ?? seq;
  }

  /** The first event at or after a time offset: offsets never decrease along seq, so the first block that ends at or after it holds it. */
  seqAtTime(pk: number, tUs: number): number | undefined {
    const row = this.#db
      .prepare(
        `SELECT first_seq, last_seq, count, codec, length(data) AS bytes FROM event_blocks WHERE run_pk = ? AND last_t_us >= ? ORDER BY last_t_us, first_seq LIMIT 1`,
      )
      .get(pk, tUs) as BlockRow | undefined;
    if (!row) return undefined;
    return this.#decoded(pk, row).find((e) => e.tUs >= tUs)?.seq;
  }

  /** The highest seq stored for a run (-1 when it has none yet). */
  lastSeq(pk: number): number {
    const last = this.#db.prepare(`SELECT last_seq FROM event_blocks WHERE run_pk = ? ORDER BY first_seq DESC LIMIT 1`).pluck().get(pk) as
      | number
      | undefined;
    return last ?? -1;
  }

  /**
   * A block's events, decoded once while it stays among the recently used. Blocks never change in place: a
   * merge writes a block with another seq range, so the range (with the data's length) names one content.
   */
  #decoded(pk: number, row: BlockRow): StoredEvent[] {
    const key = `${pk}:${row.first_seq}:${row.last_seq}:${row.count}:${row.bytes}`;
    let events = this.#cache.get(key);
    if (events) {
      this.#cache.delete(key);
    } else {
      const data = this.#db.prepare(`SELECT data FROM event_blocks WHERE run_pk = ? AND first_seq = ?`).pluck().get(pk, row.first_seq) as Buffer;
      events = decodeBlock(row.first_seq, row.codec, data);
      this.#blocksRead++;
      if (this.#cache.size >= CACHED_BLOCKS) this.#cache.delete(this.#cache.keys().next().value!);
    }
    this.#cache.set(key, events);
    return events;
  }
}

/** The insert of one block, for the table and for the migration that moves old per-event rows into blocks. */
export function prepareBlockInsert(db: Database.Database): Database.Statement {
  return db.prepare(
    `INSERT INTO event_blocks (run_pk, first_seq, last_seq, first_t_us, last_t_us, count, levels, names, agents, codec, data)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
}

export function insertBlock(insert: Database.Statement, pk: number, b: EncodedBlock): void {
  insert.run(pk, b.firstSeq, b.lastSeq, b.firstTUs, b.lastTUs, b.count, b.levels, b.names, b.agents, b.codec, b.data);
}

/** What of a filter the blocks' summary columns can answer: a block none of whose levels, names or agents is asked for is skipped. */
function blockFilterSql(filter: EventFilter | undefined): { where: string; params: Record<string, unknown> } {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter?.levels !== undefined) {
    clauses.push('(levels & @levels) != 0');
    params.levels = filter.levels.reduce((mask, level) => mask | levelBit(level), 0);
  }
  const anyOf = (column: string, values: readonly string[] | undefined) => {
    if (values === undefined) return;
    const tests = values.map((value, i) => {
      params[`${column}${i}`] = value;
      return `instr(${column}, char(10) || @${column}${i} || char(10)) > 0`;
    });
    clauses.push(`(${tests.join(' OR ') || '0'})`);
  };
  anyOf('names', filter?.names);
  anyOf('agents', filter?.agents);
  return { where: clauses.map((c) => ` AND ${c}`).join(''), params };
}

/** The exact test of one event against a filter (the summary columns only narrow which blocks are read). */
function eventMatcher(filter: EventFilter | undefined): (e: StoredEvent) => boolean {
  const levels = filter?.levels && new Set<string>(filter.levels);
  const names = filter?.names && new Set(filter.names);
  const agents = filter?.agents && new Set(filter.agents);
  const text = filter?.text === undefined ? undefined : asciiLower(filter.text);
  return (e) =>
    (!levels || levels.has(e.level)) &&
    (!names || names.has(e.name)) &&
    (!agents || (e.agent !== null && agents.has(e.agent))) &&
    (text === undefined || asciiLower(e.payload).includes(text));
}

/** Lower case for ASCII letters only, as SQLite's lower() does: the search has always been ASCII case-insensitive. */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}
