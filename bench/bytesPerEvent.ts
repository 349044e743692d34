import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../src/store/openStore.js';
import type { Benchmark } from './benchmark.js';
import { recordDemoRuns } from './demoEvents.js';
import { pairedRatios, summarize } from './stats.js';

const RUNS = 60;
const REPETITIONS = 3;

interface Sizes {
  fileBytesPerEvent: number;
  jsonBytesPerEvent: number;
}

/** Records demo runs into a fresh database, closes it (which checkpoints the WAL into the file), and weighs it. */
async function weigh(path: string, runs: number, firstSeed: number): Promise<Sizes> {
  const store = await openStore(path);
  await recordDemoRuns(store, runs, firstSeed);
  await store.close();
  const db = new Database(path, { readonly: true });
  const { events, json } = db.prepare(`SELECT count(*) AS events, sum(length(CAST(payload AS BLOB))) AS json FROM events`).get() as {
    events: number;
    json: number;
  };
  db.close();
  return { fileBytesPerEvent: statSync(path).size / events, jsonBytesPerEvent: json / events };
}

/** What a realistic recording costs on disk: demo runs, recorded as an application would record them. */
export const bytesPerEvent: Benchmark = {
  name: 'database bytes per event',
  async run(context) {
    const runs = Math.max(3, context.size(RUNS));
    const sizes: Sizes[] = [];
    for (let i = 0; i < REPETITIONS; i++) sizes.push(await weigh(join(context.tempDir(), 'demo.db'), runs, 1 + i * runs));
    const file = sizes.map((s) => s.fileBytesPerEvent);
    const json = sizes.map((s) => s.jsonBytesPerEvent);
    return [
      {
        name: 'database bytes per event',
        unit: 'B',
        value: summarize(file),
        baseline: { name: "the events' JSON alone", value: summarize(json) },
        ratio: summarize(pairedRatios(file, json)),
        note: `${runs} demo runs (all three scenarios, distinct seeds) per database, file size after close (WAL checkpointed), ${REPETITIONS} databases`,
      },
    ];
  },
};
