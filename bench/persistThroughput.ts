import Database from 'better-sqlite3';
import { join } from 'node:path';
import { newRunId } from '../src/store/runStore.js';
import { MIGRATIONS } from '../src/store/sqlite/schema.js';
import { SqliteEngine } from '../src/store/sqlite/sqliteEngine.js';
import type { StoredEvent } from '../src/store/types.js';
import type { Benchmark, BenchContext } from './benchmark.js';
import { demoEventBatches, demoEventSample } from './demoEvents.js';
import { pairedRatios, summarize, timeMs } from './stats.js';

const EVENTS = 500_000;
const PAIRS = 5;
/** The recorder's default batch size. */
const BATCH = 512;

/** The floor: the same rows into the same schema with the same pragmas, one plain transaction per batch. */
async function rawInserts(path: string, batches: readonly StoredEvent[][]): Promise<number> {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    for (const migration of MIGRATIONS) db.exec(migration);
    const { pk } = db.prepare(`INSERT INTO runs (id, status, started_at) VALUES ('raw', 'running', 0) RETURNING pk`).get() as { pk: number };
    const insert = db.prepare(`INSERT INTO events (run_pk, seq, t_us, level, name, agent, payload) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    const write = db.transaction((batch: readonly StoredEvent[]) => {
      for (const e of batch) insert.run(pk, e.seq, e.tUs, e.level, e.name, e.agent, e.payload);
    });
    return await timeMs(() => batches.forEach((batch) => write(batch)));
  } finally {
    db.close();
  }
}

/** The recorder's path: the SQLite engine's appendEvents, batch by batch. */
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
  const rate = (ms: number) => events / (ms / 1000);
  const raw: number[] = [];
  const store: number[] = [];
  for (let i = 0; i < PAIRS; i++) {
    const dir = context.tempDir();
    const rawFirst = i % 2 === 0;
    if (rawFirst) raw.push(rate(await rawInserts(join(dir, 'raw.db'), batches)));
    store.push(rate(await storeAppends(join(dir, 'store.db'), batches)));
    if (!rawFirst) raw.push(rate(await rawInserts(join(dir, 'raw.db'), batches)));
  }
  return { events, raw, store };
}

export const persistThroughput: Benchmark = {
  name: 'persist throughput',
  async run(context) {
    const { events, raw, store } = await measure(context);
    return [
      {
        name: 'persist throughput: SqliteEngine.appendEvents',
        unit: 'events/s',
        value: summarize(store),
        baseline: { name: 'raw better-sqlite3', value: summarize(raw) },
        ratio: summarize(pairedRatios(store, raw)),
        target: { atLeast: 0.7 },
        note: `${events.toLocaleString('en')} demo-like events in batches of ${BATCH}, fresh database file each time, ${PAIRS} pairs`,
      },
    ];
  },
};
