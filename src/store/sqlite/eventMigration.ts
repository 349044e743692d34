import type Database from 'better-sqlite3';
import { eventColumnsOf } from '../../events/storedEvent.js';
import { encodeBlock } from './eventBlock.js';
import { BLOCK_EVENTS, insertBlock, prepareBlockInsert } from './eventBlockTable.js';
import { eventFromRow, type EventRow } from './rows.js';

/**
 * Schema 3: a database written with one row per event (runtape 0.1.0) gets its events moved into blocks, run by
 * run, a block's worth at a time (a large run never sits in memory whole), then the old table goes. Runs in
 * the migration's transaction: the database has either every event in blocks, or the old table untouched.
 */
export function moveEventsIntoBlocks(db: Database.Database): void {
  const runs = db.prepare(`SELECT DISTINCT run_pk FROM events ORDER BY run_pk`).pluck().all() as number[];
  const page = db.prepare(`SELECT seq, t_us, level, name, agent, payload FROM events WHERE run_pk = ? AND seq >= ? ORDER BY seq LIMIT ?`);
  const insert = prepareBlockInsert(db);
  for (const pk of runs) {
    let from = Number.MIN_SAFE_INTEGER;
    for (;;) {
      const rows = page.all(pk, from, BLOCK_EVENTS) as EventRow[];
      if (rows.length === 0) break;
      insertBlock(insert, pk, encodeBlock(eventColumnsOf(rows.map(eventFromRow))));
      if (rows.length < BLOCK_EVENTS) break;
      from = rows[rows.length - 1]!.seq + 1;
    }
  }
  db.exec(`DROP TABLE events`);
}
