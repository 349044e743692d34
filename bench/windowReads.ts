import { join } from 'node:path';
import { seededRandom } from '../src/demo/random.js';
import { openStore } from '../src/store/openStore.js';
import { newRunId, type EventFilter, type RunStore } from '../src/store/runStore.js';
import type { StoredEvent } from '../src/store/types.js';
import type { Benchmark, BenchContext, Figure } from './benchmark.js';
import { demoEventBatches, demoEventSample } from './demoEvents.js';
import { percentile, summarize } from './stats.js';

const BIG_RUN = 1_000_000;
const SMALL_RUN = 1_000;
const WINDOW = 50;
const ROUNDS = 5;
const READS_PER_ROUND = 400;

async function storeRun(store: RunStore, sample: readonly StoredEvent[], events: number): Promise<string> {
  const id = newRunId();
  await store.createRun({ id, name: `${events} events`, startedAt: Date.now(), startingAgent: 'A', input: null, sdkVersion: null, tags: [], metadata: {}, agents: [] });
  for (const batch of demoEventBatches(sample, events, 10_000)) await store.appendEvents(id, batch);
  return id;
}

/** Latencies (µs) of window reads at random positions; checks each window is whole. */
async function readWindows(store: RunStore, runId: string, runEvents: number, random: () => number, filter?: EventFilter): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < READS_PER_ROUND; i++) {
    // Not too near the end, where a filtered window would run out of events.
    const fromSeq = Math.floor(random() * runEvents * 0.9);
    const start = performance.now();
    const window = await store.readEvents(runId, { fromSeq, limit: WINDOW, ...(filter ? { filter } : {}) });
    latencies.push((performance.now() - start) * 1000);
    if (window.length !== WINDOW) throw new Error(`a window at ${fromSeq} held ${window.length} events`);
  }
  return latencies;
}

interface Comparison {
  value: number[];
  baseline: number[];
  /** Per round: median of the value's reads ÷ median of the baseline's. */
  ratios: number[];
}

async function compareRounds(rounds: number, measureRound: (round: number) => Promise<[number[], number[]]>): Promise<Comparison> {
  const result: Comparison = { value: [], baseline: [], ratios: [] };
  for (let round = 0; round < rounds; round++) {
    const [value, baseline] = await measureRound(round);
    result.value.push(...value);
    result.baseline.push(...baseline);
    result.ratios.push(summarize(value).median / summarize(baseline).median);
  }
  return result;
}

function figure(name: string, baselineName: string, c: Comparison, note: string): Figure {
  return {
    name,
    unit: 'µs',
    value: summarize(c.value),
    baseline: { name: baselineName, value: summarize(c.baseline) },
    ratio: summarize(c.ratios),
    note: `${note}; p99 ${percentile(c.value, 0.99).toFixed(0)} µs`,
  };
}

/** Reading a window of a big run must cost what it costs in a small one: seq ranges on the key, never OFFSET. */
export const windowReads: Benchmark = {
  name: 'window reads',
  async run(context: BenchContext) {
    const bigEvents = context.size(BIG_RUN);
    const sample = await demoEventSample(context.tempDir());
    const store = await openStore(join(context.tempDir(), 'big.db'));
    try {
      context.log(`  writing a ${bigEvents.toLocaleString('en')}-event run`);
      const big = await storeRun(store, sample, bigEvents);
      const small = await storeRun(store, sample, SMALL_RUN);
      const random = seededRandom(42);
      const positions = await compareRounds(ROUNDS, async () => [await readWindows(store, big, bigEvents, random), await readWindows(store, small, SMALL_RUN, random)]);
      // The inspector's level filter: only run items, a few percent of the events, so a window spans many rows.
      const items: EventFilter = { levels: ['item'] };
      const filtered = await compareRounds(ROUNDS, async () => [await readWindows(store, big, bigEvents, random, items), await readWindows(store, big, bigEvents, random)]);
      const reads = `${ROUNDS} rounds of ${READS_PER_ROUND} reads of ${WINDOW} events at random positions`;
      return [
        figure(`window read, ${bigEvents.toLocaleString('en')}-event run`, `${SMALL_RUN.toLocaleString('en')}-event run`, positions, reads),
        figure('window read, items only', 'unfiltered', filtered, `${reads} of the ${bigEvents.toLocaleString('en')}-event run`),
      ];
    } finally {
      await store.close();
    }
  },
};
