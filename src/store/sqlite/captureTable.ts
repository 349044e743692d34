import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mapItemLists } from '../../capture/itemLists.js';
import type { CaptureKind, CaptureRecords } from '../../capture/types.js';
import { toJsonText } from '../../events/serialize.js';

/** What the table knows of one run while it is written: the items stored so far, and how many records of each kind. */
interface RunIndex {
  /** Each distinct item's number, by the hash of its JSON. */
  items: Map<string, number>;
  counts: Map<CaptureKind, number>;
}

/**
 * A run's captures (`captures`, schema.ts) and the conversation items they hold (`capture_items`): each
 * distinct item is stored once per run, and a record's item lists hold item numbers (a few bytes each) where
 * a request repeats the conversation so far. Called inside the engine's transactions.
 */
export class CaptureTable {
  readonly #db: Database.Database;
  readonly #indexes = new Map<number, RunIndex>();
  readonly #insertItem: Database.Statement;
  readonly #insertRecord: Database.Statement;

  constructor(db: Database.Database) {
    this.#db = db;
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

  /** A run's records of one kind in the order they were captured, their items in place. */
  read<K extends CaptureKind>(pk: number, kind: K): CaptureRecords[K][] {
    const rows = this.#db.prepare(`SELECT record FROM captures WHERE run_pk = ? AND kind = ? ORDER BY n`).all(pk, kind) as { record: string }[];
    if (rows.length === 0) return [];
    const items = new Map<number, unknown>();
    for (const row of this.#db.prepare(`SELECT n, item FROM capture_items WHERE run_pk = ?`).iterate(pk) as Iterable<{ n: number; item: string }>) {
      items.set(row.n, JSON.parse(row.item));
    }
    return rows.map((row) => mapItemLists(kind, JSON.parse(row.record), (refs) => refs.map((n) => items.get(n as number) ?? null)) as CaptureRecords[K]);
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
