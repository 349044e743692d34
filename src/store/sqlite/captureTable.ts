import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mapItemLists } from '../../capture/itemLists.js';
import type { CaptureKind } from '../../capture/types.js';
import { RuntapeError } from '../../errors.js';
import { toJsonText } from '../../events/serialize.js';
import type { RunCaptures } from '../runStore.js';
import { UnreadableCapturesError } from '../unreadableCaptures.js';
import type { AgentGraphTable } from './agentGraphTable.js';
import { ARCHIVE_DEFLATE_AGENTS, archiveDictionary, decodeArchive, encodeArchive } from './captureArchive.js';

/** What the table knows of one run while it is written: the items stored so far, and how many records of each kind. */
interface RunIndex {
  /** Each distinct item's number, by the hash of its JSON. */
  items: Map<string, number>;
  counts: Map<CaptureKind, number>;
}

/**
 * A run's captures (`captures`, schema.ts) and the conversation items they hold (`capture_items`): each
 * distinct item is stored once per run, and a record's item lists hold item numbers (a few bytes each) where
 * a request repeats the conversation so far. When the run ends, its rows move into one compressed archive
 * (captureArchive.ts). Called inside the engine's transactions.
 */
export class CaptureTable {
  readonly #db: Database.Database;
  readonly #agentGraphs: AgentGraphTable;
  readonly #indexes = new Map<number, RunIndex>();
  readonly #insertItem: Database.Statement;
  readonly #insertRecord: Database.Statement;
  #archivesRead = 0;

  constructor(db: Database.Database, agentGraphs: AgentGraphTable) {
    this.#db = db;
    this.#agentGraphs = agentGraphs;
    this.#insertItem = db.prepare(`INSERT INTO capture_items (run_pk, n, item) VALUES (?, ?, ?)`);
    this.#insertRecord = db.prepare(`INSERT INTO captures (run_pk, kind, n, record) VALUES (?, ?, ?, ?)`);
  }

  append(pk: number, kind: CaptureKind, record: unknown): void {
    const index = this.#index(pk);
    const stored = mapItemLists(kind, record, (items) => items.map((item) => this.#itemNumber(pk, index, item)));
    const n = (index.counts.get(kind) ?? 0) + 1;
    index.counts.set(kind, n);
    this.#insertRecord.run(pk, kind, n, toJsonText(stored));
  }

  /**
   * A run's records of each of `kinds`, each kind in the order captured, their items in place. The run's archive
   * is decoded once for all of them: it holds every kind, and a run's final answer or a tool's output can make it
   * megabytes.
   */
  read(pk: number, kinds: readonly CaptureKind[]): RunCaptures {
    const items = new Map<number, unknown>();
    const records = new Map<CaptureKind, unknown[]>(kinds.map((kind) => [kind, []]));
    const archive = this.#db.prepare(`SELECT run_pk AS pk, codec, data FROM capture_archives WHERE run_pk = ?`).get(pk) as { pk: number; codec: number; data: Buffer } | undefined;
    if (archive) {
      const unpacked = this.#unpack(archive);
      for (const [n, item] of unpacked.items) items.set(n, item);
      for (const [kind, , record] of unpacked.records) records.get(kind)?.push(record);
    }
    const rows = this.#db
      .prepare(`SELECT kind, record FROM captures WHERE run_pk = ? AND kind IN (${kinds.map(() => '?').join(', ')}) ORDER BY kind, n`)
      .all(pk, ...kinds) as { kind: CaptureKind; record: string }[];
    if (rows.length > 0) {
      for (const row of this.#db.prepare(`SELECT n, item FROM capture_items WHERE run_pk = ?`).iterate(pk) as Iterable<{ n: number; item: string }>) {
        items.set(row.n, JSON.parse(row.item));
      }
      for (const row of rows) records.get(row.kind)!.push(JSON.parse(row.record));
    }
    const withItems = ([kind, list]: [CaptureKind, unknown[]]) => [kind, list.map((record) => mapItemLists(kind, record, (refs) => refs.map((n) => items.get(n as number) ?? null)))];
    return Object.fromEntries([...records].map(withItems)) as RunCaptures;
  }

  /** The run has ended: its captures and items move into one compressed archive. */
  archive(pk: number): void {
    const records = this.#db.prepare(`SELECT kind, n, record FROM captures WHERE run_pk = ? ORDER BY kind, n`).all(pk) as { kind: string; n: number; record: string }[];
    if (records.length === 0 || this.#db.prepare(`SELECT 1 FROM capture_archives WHERE run_pk = ?`).get(pk)) return;
    const items = this.#db.prepare(`SELECT n, item FROM capture_items WHERE run_pk = ? ORDER BY n`).all(pk) as { n: number; item: string }[];
    const data = encodeArchive(items, records, this.#dictionary(pk));
    this.#db.prepare(`INSERT INTO capture_archives (run_pk, codec, data) VALUES (?, ?, ?)`).run(pk, ARCHIVE_DEFLATE_AGENTS, data);
    this.#db.prepare(`DELETE FROM captures WHERE run_pk = ?`).run(pk);
    this.#db.prepare(`DELETE FROM capture_items WHERE run_pk = ?`).run(pk);
    this.#indexes.delete(pk);
  }

  /** The archive, decoded against its run's agent graph; a graph changed since (by another tool) leaves it unreadable. */
  #unpack(archive: { pk: number; codec: number; data: Buffer }) {
    this.#archivesRead++;
    try {
      return decodeArchive(archive.codec, archive.data, this.#dictionary(archive.pk));
    } catch (error) {
      if (error instanceof RuntapeError) throw error;
      throw new UnreadableCapturesError(`the captured calls of this run cannot be read (its agent graph was changed after they were stored)`);
    }
  }

  #dictionary(pk: number): Buffer {
    return archiveDictionary(this.#agentGraphs.read(pk));
  }

  /** Archives decoded so far: what reading captures really cost (a run's archive holds every kind). */
  get archivesRead(): number {
    return this.#archivesRead;
  }

  /** After a rollback or a deletion: what was cached may no longer be stored. */
  forget(): void {
    this.#indexes.clear();
  }

  #itemNumber(pk: number, index: RunIndex, item: unknown): number {
    const json = toJsonText(item);
    const hash = hashOf(json);
    let n = index.items.get(hash);
    if (n === undefined) {
      n = index.items.size + 1;
      index.items.set(hash, n);
      this.#insertItem.run(pk, n, json);
    }
    return n;
  }

  /** The run's index, rebuilt from what is stored when this connection has not written the run before. */
  #index(pk: number): RunIndex {
    let index = this.#indexes.get(pk);
    if (!index) {
      index = { items: new Map(), counts: new Map() };
      for (const row of this.#db.prepare(`SELECT n, item FROM capture_items WHERE run_pk = ?`).iterate(pk) as Iterable<{ n: number; item: string }>) {
        index.items.set(hashOf(row.item), row.n);
      }
      for (const row of this.#db.prepare(`SELECT kind, max(n) AS n FROM captures WHERE run_pk = ? GROUP BY kind`).iterate(pk) as Iterable<{ kind: CaptureKind; n: number }>) {
        index.counts.set(row.kind, row.n);
      }
      this.#indexes.set(pk, index);
    }
    return index;
  }
}

function hashOf(json: string): string {
  return createHash('sha1').update(json).digest('base64');
}
