import { join } from 'node:path';
import { seededRandom } from '../src/demo/random.js';
import { RunStore, newRunId, type EventFilter } from '../src/store/runStore.js';
import type { StoredEvent } from '../src/store/types.js';
import type { Benchmark, BenchContext, Figure } from './benchmark.js';
import { demoEventBatches, demoEventSample } from './demoEvents.js';
import { percentile, summarize } from './stats.js';

const BIG_RUN = 1_000_000;
const SMALL_RUN = 1_000;
const WINDOW = 50;
const ROUNDS = 5;
const READS_PER_ROUND = 400;

function storeRun(store: RunStore, sample: readonly StoredEvent[], events: number): string {
  const id = newRunId();
  store.createRun({ id, name: `${events} events`, startedAt: Date.now(), startingAgent: 'A', input: null, sdkVersion: null, tags: [], metadata: {}, agents: [] });
  for (const batch of demoEventBatches(sample, events, 10_000)) store.appendEvents(id, batch);
  return id;
}

/** Latencies (µs) of window reads at random positions; checks each window is whole. */
function readWindows(store: RunStore, runId: string, runEvents: number, random: () => number, filter?: EventFilter): number[] {
  const latencies: number[] = [];
  for (let i = 0; i < READS_PER_ROUND; i++) {
    // Not too near the end, where a filtered window would run out of events.
    const fromSeq = Math.floor(random() * runEvents * 0.9);
    const start = performance.now();
    const window = store.readEvents(runId, { fromSeq, limit: WINDOW, ...(filter ? { filter } : {}) });
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

function compareRounds(rounds: number, measureRound: (round: number) => [number[], number[]]): Comparison {
  const result: Comparison = { value: [], baseline: [], ratios: [] };
  for (let round = 0; round < rounds; round++) {
    const [value, baseline] = measureRound(round);
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
    const store = RunStore.open(join(context.tempDir(), 'big.db'));
    try {
      context.log(`  writing a ${bigEvents.toLocaleString('en')}-event run`);
      const big = storeRun(store, sample, bigEvents);
      const small = storeRun(store, sample, SMALL_RUN);
      const random = seededRandom(42);
      const positions = compareRounds(ROUNDS, () => [readWindows(store, big, bigEvents, random), readWindows(store, small, SMALL_RUN, random)]);
      // The inspector's level filter: only run items, a few percent of the events, so a window spans many rows.
      const items: EventFilter = { levels: ['item'] };
      const filtered = compareRounds(ROUNDS, () => [readWindows(store, big, bigEvents, random, items), readWindows(store, big, bigEvents, random)]);
      const reads = `${ROUNDS} rounds of ${READS_PER_ROUND} reads of ${WINDOW} events at random positions`;
      return [
        figure(`window read, ${bigEvents.toLocaleString('en')}-event run`, `${SMALL_RUN.toLocaleString('en')}-event run`, positions, reads),
        figure('window read, items only', 'unfiltered', filtered, `${reads} of the ${bigEvents.toLocaleString('en')}-event run`),
      ];
    } finally {
      store.close();
    }
  },
};
