import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../src/index.js';
import { storeLargeRun } from '../test/support/largeRun.js';
import type { Benchmark, Figure } from './benchmark.js';
import { pairedRatios, summarize } from './stats.js';

const EVENTS = 1_000_000;
const SMALL = 1_000;
const ROUNDS = 3;
const CHILD = fileURLToPath(new URL('./children/paintInspector.ts', import.meta.url));

interface Paint {
  firstPaintMs: number;
  rssMb: number;
}

function paint(dbPath: string, runId: string): Paint {
  const out = execFileSync(process.execPath, ['--import', 'tsx', CHILD, dbPath, runId], { encoding: 'utf8', env: { ...process.env, TERM: 'xterm-256color' } });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Paint;
}

/** The inspector opening a million-event run: time to first paint and memory, against a 1,000-event run. */
export const inspectorPaint: Benchmark = {
  name: 'inspector first paint',
  async run(context) {
    const events = context.size(EVENTS);
    const dbPath = join(context.tempDir(), 'inspect.db');
    const store = await openStore(dbPath);
    const large = await storeLargeRun(store, events);
    const small = await storeLargeRun(store, SMALL);
    await store.close();
    const big: Paint[] = [];
    const little: Paint[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      big.push(paint(dbPath, large));
      little.push(paint(dbPath, small));
    }
    const figure = (what: string, unit: string, pick: (p: Paint) => number): Figure => ({
      name: `inspector ${what}, ${events.toLocaleString('en')}-event run`,
      unit,
      value: summarize(big.map(pick)),
      baseline: { name: `${SMALL.toLocaleString('en')}-event run`, value: summarize(little.map(pick)) },
      ratio: summarize(pairedRatios(big.map(pick), little.map(pick))),
      note: `headless 160x48 screen, a process per open, ${ROUNDS} rounds`,
    });
    return [figure('time to first paint', 'ms', (p) => p.firstPaintMs), figure('RSS at first paint', 'MB', (p) => p.rssMb)];
  },
};
