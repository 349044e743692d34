import Database from 'better-sqlite3';
import { join } from 'node:path';
import { newRunId } from '../src/store/runStore.js';
import { SqliteEngine } from '../src/store/sqlite/sqliteEngine.js';
import type { StoredEvent } from '../src/store/types.js';
import type { Benchmark, BenchContext } from './benchmark.js';
import { demoEventBatches, demoEventSample } from './demoEvents.js';
import { pairedRatios, summarize, timeMs } from './stats.js';

const EVENTS = 500_000;
const PAIRS = 5;
/** The recorder's default batch size. */
const BATCH = 512;

/**
 * The baseline: the layout runtape 0.1.0 wrote (one row per event), as plainly as better-sqlite3 can write
 * it (one prepared insert per row, one transaction per batch, the same pragmas): what storing events cost
 * before they went into compressed blocks.
 */
async function rowPerEventInserts(path: string, batches: readonly StoredEvent[][]): Promise<number> {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`CREATE TABLE events (
      run_pk INTEGER NOT NULL, seq INTEGER NOT NULL, t_us INTEGER NOT NULL, level TEXT NOT NULL, name TEXT NOT NULL, agent TEXT,
      payload TEXT NOT NULL, PRIMARY KEY (run_pk, seq)) WITHOUT ROWID`);
    const insert = db.prepare(`INSERT INTO events (run_pk, seq, t_us, level, name, agent, payload) VALUES (1, ?, ?, ?, ?, ?, ?)`);
    const write = db.transaction((batch: readonly StoredEvent[]) => {
      for (const e of batch) insert.run(e.seq, e.tUs, e.level, e.name, e.agent, e.payload);
    });
    return await timeMs(() => batches.forEach((batch) => write(batch)));
  } finally {
    db.close();
  }
}

/** The recorder's writer thread's path: the SQLite engine's appendEvents, batch by batch (a compressed block each). */
async function storeAppends(path: string, batches: readonly StoredEvent[][]): Promise<number> {
  const store = SqliteEngine.open(path);
  try {
    const id = newRunId();
    store.createRun({ id, name: 'bench', startedAt: Date.now(), startingAgent: 'A', input: null, sdkVersion: null, tags: [], metadata: {}, agents: [] });
    return await timeMs(() => batches.forEach((batch) => store.appendEvents(id, batch)));
  } finally {
    store.close();
  }
}

async function measure(context: BenchContext) {
  const events = context.size(EVENTS);
  const batches = [...demoEventBatches(await demoEventSample(context.tempDir()), events, BATCH)];
  const usPerEvent = (ms: number) => (ms * 1000) / events;
  const rows: number[] = [];
  const store: number[] = [];
  for (let i = 0; i < PAIRS; i++) {
    const dir = context.tempDir();
    const rowsFirst = i % 2 === 0;
    if (rowsFirst) rows.push(usPerEvent(await rowPerEventInserts(join(dir, 'rows.db'), batches)));
    store.push(usPerEvent(await storeAppends(join(dir, 'store.db'), batches)));
    if (!rowsFirst) rows.push(usPerEvent(await rowPerEventInserts(join(dir, 'rows.db'), batches)));
  }
  return { events, rows, store };
}

export const persistThroughput: Benchmark = {
  name: 'persist cost',
  async run(context) {
    const { events, rows, store } = await measure(context);
    return [
      {
        name: "writer's cost per event: SqliteEngine.appendEvents",
        unit: 'µs',
        value: summarize(store),
        baseline: { name: 'one row per event (0.1.0 layout), raw better-sqlite3', value: summarize(rows) },
        ratio: summarize(pairedRatios(store, rows)),
        // The goal is well under 1.5 µs/event on the writer thread; rows cost ~3-4 µs/event on a 2-core machine.
        target: { atMost: 0.5 },
        note: `${events.toLocaleString('en')} demo-like events in batches of ${BATCH} (serialized, compressed into blocks), fresh database file each time, ${PAIRS} pairs`,
      },
    ];
  },
};
